package dev.flotilla.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The restricted-level checker accepts a compliant pod and names each kind of violation. */
class PodSecurityRestrictedTest {
  private static final String COMPLIANT =
      """
      securityContext:
        runAsNonRoot: true
        seccompProfile: {type: RuntimeDefault}
      volumes:
        - name: tmp
          emptyDir: {}
      containers:
        - name: app
          image: example
          securityContext:
            allowPrivilegeEscalation: false
            capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}
      """;

  private static List<String> violations(String pod) {
    return PodSecurityRestricted.violations(Yaml.documents(pod).get(0));
  }

  private static String withContainerContext(String securityContext) {
    return """
        securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
        containers:
          - name: app
            securityContext: %s
        """
        .formatted(securityContext);
  }

  @Test
  void acceptsACompliantPod() {
    assertThat(violations(COMPLIANT)).isEmpty();
  }

  @Test
  void rejectsHostNamespacesAndHostPathVolumes() {
    String hostNamespaces =
        COMPLIANT.replace("volumes:", "hostNetwork: true\nhostPID: true\nvolumes:");
    assertThat(violations(hostNamespaces))
        .containsExactly("spec.hostNetwork must not be true", "spec.hostPID must not be true");
    String hostPath =
        COMPLIANT.replace(
            "volumes:\n  - name: tmp\n    emptyDir: {}",
            "volumes:\n  - name: host\n    hostPath: {path: /var/run}");
    assertThat(violations(hostPath))
        .containsExactly("volume host uses the disallowed type hostPath");
  }

  @Test
  void requiresEachRestrictedContainerSetting() {
    assertThat(
            violations(
                withContainerContext(
                    "{allowPrivilegeEscalation: true, capabilities: {drop: [ALL]}}")))
        .containsExactly("containers[app].securityContext.allowPrivilegeEscalation must be false");
    assertThat(violations(withContainerContext("{allowPrivilegeEscalation: false}")))
        .containsExactly("containers[app].securityContext.capabilities.drop must contain ALL");
    assertThat(
            violations(
                withContainerContext(
                    "{allowPrivilegeEscalation: false, capabilities: {drop: [ALL], add: [SYS_ADMIN]}}")))
        .containsExactly(
            "containers[app].securityContext.capabilities.add may only contain NET_BIND_SERVICE, not"
                + " SYS_ADMIN");
    assertThat(
            violations(
                withContainerContext(
                    "{allowPrivilegeEscalation: false, privileged: true, capabilities: {drop: [ALL]}}")))
        .containsExactly("containers[app].securityContext.privileged must not be true");
    assertThat(
            violations(
                withContainerContext(
                    "{allowPrivilegeEscalation: false, runAsUser: 0, capabilities: {drop: [ALL]}}")))
        .containsExactly("containers[app].securityContext.runAsUser must not be 0");
  }

  @Test
  void requiresNonRootAndSeccompOnThePodOrEveryContainer() {
    String noPodContext =
        """
        initContainers:
          - name: init
            securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
        containers:
          - name: app
            securityContext:
              allowPrivilegeEscalation: false
              runAsNonRoot: true
              seccompProfile: {type: Localhost, localhostProfile: p.json}
              capabilities: {drop: [ALL]}
        """;
    assertThat(violations(noPodContext))
        .containsExactly(
            "initContainers[init].securityContext.runAsNonRoot must be true (here or in the pod"
                + " securityContext)",
            "initContainers[init].securityContext.seccompProfile.type must be RuntimeDefault or"
                + " Localhost");
  }

  @Test
  void findsThePodTemplateOfEachWorkloadKind() {
    Map<String, Object> cronJob =
        Yaml.documents(
                """
                kind: CronJob
                spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: c}]}}}}}
                """)
            .get(0);
    assertThat(PodSecurityRestricted.podSpec(cronJob)).containsKey("containers");
    assertThat(PodSecurityRestricted.podSpec(Map.of("kind", "Service"))).isNull();
  }
}
