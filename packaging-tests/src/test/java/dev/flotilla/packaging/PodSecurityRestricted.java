package dev.flotilla.packaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Kubernetes Pod Security Standards at the {@code restricted} level (which includes {@code
 * baseline}), checked on a pod spec the way the PodSecurity admission controller does for
 * Kubernetes 1.33 (policy version "latest", Linux pods).
 */
public final class PodSecurityRestricted {
  private static final Set<String> RESTRICTED_VOLUME_TYPES =
      Set.of(
          "configMap",
          "csi",
          "downwardAPI",
          "emptyDir",
          "ephemeral",
          "image",
          "persistentVolumeClaim",
          "projected",
          "secret");
  private static final Set<String> SAFE_SYSCTLS =
      Set.of(
          "kernel.shm_rmid_forced",
          "net.ipv4.ip_local_port_range",
          "net.ipv4.ip_unprivileged_port_start",
          "net.ipv4.tcp_syncookies",
          "net.ipv4.ping_group_range",
          "net.ipv4.ip_local_reserved_ports",
          "net.ipv4.tcp_keepalive_time",
          "net.ipv4.tcp_fin_timeout",
          "net.ipv4.tcp_keepalive_intvl",
          "net.ipv4.tcp_keepalive_probes");
  private static final Set<String> SELINUX_TYPES =
      Set.of("", "container_t", "container_init_t", "container_kvm_t", "container_engine_t");

  private PodSecurityRestricted() {}

  /** The pod spec inside a workload object, or null if the kind carries no pod template. */
  public static Map<String, Object> podSpec(Map<String, Object> object) {
    Object kind = object.get("kind");
    if ("Pod".equals(kind)) {
      return Yaml.map(object, "spec");
    }
    if ("CronJob".equals(kind)) {
      return Yaml.map(object, "spec.jobTemplate.spec.template.spec");
    }
    if (Set.of(
            "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController")
        .contains(kind)) {
      return Yaml.map(object, "spec.template.spec");
    }
    return null;
  }

  /** Every violation of the restricted level in {@code pod}; empty when it complies. */
  @SuppressWarnings("unchecked")
  public static List<String> violations(Map<String, Object> pod) {
    List<String> violations = new ArrayList<>();
    Map<String, Object> podContext = Yaml.map(pod, "securityContext");
    for (String field : List.of("hostNetwork", "hostPID", "hostIPC")) {
      if (Boolean.TRUE.equals(pod.get(field))) {
        violations.add("spec." + field + " must not be true");
      }
    }
    checkSeLinux(Yaml.map(podContext, "seLinuxOptions"), "spec.securityContext", violations);
    checkAppArmor(Yaml.map(podContext, "appArmorProfile"), "spec.securityContext", violations);
    for (Object sysctl : Yaml.list(podContext, "sysctls")) {
      Object name = ((Map<String, Object>) sysctl).get("name");
      if (!SAFE_SYSCTLS.contains(name)) {
        violations.add("spec.securityContext.sysctls: " + name + " is not a safe sysctl");
      }
    }
    if (Boolean.TRUE.equals(Yaml.at(podContext, "windowsOptions.hostProcess"))) {
      violations.add("spec.securityContext.windowsOptions.hostProcess must not be true");
    }
    if (Long.valueOf(0).equals(asLong(podContext.get("runAsUser")))) {
      violations.add("spec.securityContext.runAsUser must not be 0");
    }
    for (Object volume : Yaml.list(pod, "volumes")) {
      Map<String, Object> v = (Map<String, Object>) volume;
      for (String key : v.keySet()) {
        if (!key.equals("name") && !RESTRICTED_VOLUME_TYPES.contains(key)) {
          violations.add("volume " + v.get("name") + " uses the disallowed type " + key);
        }
      }
    }
    boolean podNonRoot = Boolean.TRUE.equals(podContext.get("runAsNonRoot"));
    String podSeccomp = (String) Yaml.at(podContext, "seccompProfile.type");
    if ("Unconfined".equals(podSeccomp)) {
      violations.add("spec.securityContext.seccompProfile.type must not be Unconfined");
    }
    int containers = 0;
    for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
      for (Object item : Yaml.list(pod, list)) {
        containers++;
        Map<String, Object> container = (Map<String, Object>) item;
        String where = list + "[" + container.get("name") + "].securityContext";
        checkContainer(container, where, podNonRoot, podSeccomp, violations);
      }
    }
    if (containers == 0) {
      violations.add("the pod has no containers");
    }
    return violations;
  }

  @SuppressWarnings("unchecked")
  private static void checkContainer(
      Map<String, Object> container,
      String where,
      boolean podNonRoot,
      String podSeccomp,
      List<String> violations) {
    Map<String, Object> context = Yaml.map(container, "securityContext");
    if (Boolean.TRUE.equals(context.get("privileged"))) {
      violations.add(where + ".privileged must not be true");
    }
    if (!Boolean.FALSE.equals(context.get("allowPrivilegeEscalation"))) {
      violations.add(where + ".allowPrivilegeEscalation must be false");
    }
    Object nonRoot = context.get("runAsNonRoot");
    if (Boolean.FALSE.equals(nonRoot) || (nonRoot == null && !podNonRoot)) {
      violations.add(where + ".runAsNonRoot must be true (here or in the pod securityContext)");
    }
    if (Long.valueOf(0).equals(asLong(context.get("runAsUser")))) {
      violations.add(where + ".runAsUser must not be 0");
    }
    String seccomp = (String) Yaml.at(context, "seccompProfile.type");
    String effective = seccomp != null ? seccomp : podSeccomp;
    if (!"RuntimeDefault".equals(effective) && !"Localhost".equals(effective)) {
      violations.add(where + ".seccompProfile.type must be RuntimeDefault or Localhost");
    }
    List<Object> drop = Yaml.list(context, "capabilities.drop");
    if (!drop.contains("ALL")) {
      violations.add(where + ".capabilities.drop must contain ALL");
    }
    for (Object add : Yaml.list(context, "capabilities.add")) {
      if (!"NET_BIND_SERVICE".equals(add)) {
        violations.add(where + ".capabilities.add may only contain NET_BIND_SERVICE, not " + add);
      }
    }
    Object procMount = context.get("procMount");
    if (procMount != null && !"Default".equals(procMount)) {
      violations.add(where + ".procMount must be Default");
    }
    checkSeLinux(Yaml.map(context, "seLinuxOptions"), where, violations);
    checkAppArmor(Yaml.map(context, "appArmorProfile"), where, violations);
    if (Boolean.TRUE.equals(Yaml.at(context, "windowsOptions.hostProcess"))) {
      violations.add(where + ".windowsOptions.hostProcess must not be true");
    }
    for (Object port : Yaml.list(container, "ports")) {
      Object hostPort = ((Map<String, Object>) port).get("hostPort");
      if (hostPort != null && !Long.valueOf(0).equals(asLong(hostPort))) {
        violations.add(where.replace(".securityContext", "") + " uses hostPort " + hostPort);
      }
    }
  }

  private static void checkSeLinux(Map<String, Object> options, String where, List<String> out) {
    Object type = options.getOrDefault("type", "");
    if (!SELINUX_TYPES.contains(type)) {
      out.add(where + ".seLinuxOptions.type " + type + " is not allowed");
    }
    if (options.get("user") != null || options.get("role") != null) {
      out.add(where + ".seLinuxOptions must not set user or role");
    }
  }

  private static void checkAppArmor(Map<String, Object> profile, String where, List<String> out) {
    if ("Unconfined".equals(profile.get("type"))) {
      out.add(where + ".appArmorProfile.type must not be Unconfined");
    }
  }

  private static Long asLong(Object value) {
    return value instanceof Number n ? Long.valueOf(n.longValue()) : null;
  }
}
