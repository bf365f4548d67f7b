package dev.flotilla.images;

import dev.flotilla.core.workload.WorkloadContainer;
import dev.flotilla.local.container.ContainerSpec;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Translates the one container of a pod spec (a Job's or a Deployment's, as the operator and the
 * chart write them) into a {@link ContainerSpec}, doing what the kubelet does: Secret-sourced
 * variables resolved from the given Secrets, {@code emptyDir} volumes as fresh world-writable host
 * directories, Secret volumes as read-only mounts of one host file per key (the file the harness
 * materializes as the kubelet would: owned by root, with the volume's mode, see {@link
 * #secretFileMode}), pod and container security contexts merged (the container's wins), CPU and
 * memory limits applied. Scheduling fields (node selectors, tolerations, affinity, priority,
 * service account) and probes have no meaning on one machine and are left out; any other setting
 * this translation does not know fails it, so a new field in the operator's Jobs cannot be silently
 * dropped.
 */
final class PodContainers {
  private PodContainers() {}

  /**
   * The container of {@code pod}, named {@code name}.
   *
   * @param secrets Secret data by Secret name, then key (for environment variables)
   * @param secretFiles host files of mounted Secrets by Secret name, then key; a Secret volume
   *     naming a Secret not here fails, as the kubelet would not start the pod
   * @param volumeRoot parent of the {@code emptyDir} host directories ({@code <root>/<volume>})
   */
  static ContainerSpec translate(
      String name,
      PodSpec pod,
      Map<String, Map<String, String>> secrets,
      Map<String, Map<String, Path>> secretFiles,
      Path volumeRoot)
      throws IOException {
    unsupported(pod.getInitContainers() != null && !pod.getInitContainers().isEmpty(), "init");
    if (pod.getContainers().size() != 1) {
      throw new IllegalArgumentException("expected one container, got " + pod.getContainers());
    }
    Container container = pod.getContainers().get(0);
    unsupported(container.getCommand() != null && !container.getCommand().isEmpty(), "command");
    unsupported(container.getEnvFrom() != null && !container.getEnvFrom().isEmpty(), "envFrom");
    unsupported(container.getWorkingDir() != null, "workingDir");
    unsupported(
        container.getVolumeDevices() != null && !container.getVolumeDevices().isEmpty(),
        "volumeDevices");

    Map<String, String> env = new LinkedHashMap<>();
    Map<String, String> secretEnv = new LinkedHashMap<>();
    for (EnvVar var : orEmpty(container.getEnv())) {
      if (var.getValueFrom() == null) {
        env.put(var.getName(), Objects.requireNonNullElse(var.getValue(), ""));
        continue;
      }
      SecretKeySelector ref = var.getValueFrom().getSecretKeyRef();
      unsupported(ref == null, "env " + var.getName() + " valueFrom other than secretKeyRef");
      String value = secrets.getOrDefault(ref.getName(), Map.of()).get(ref.getKey());
      if (value == null && !Boolean.TRUE.equals(ref.getOptional())) {
        throw new IOException(
            "CreateContainerConfigError: secret " + ref.getName() + " has no key " + ref.getKey());
      }
      if (value != null) {
        secretEnv.put(var.getName(), value);
      }
    }

    SecurityContext sc = container.getSecurityContext();
    PodSecurityContext psc = pod.getSecurityContext();
    return new ContainerSpec(
        name,
        container.getImage(),
        container.getImagePullPolicy(),
        orEmpty(container.getArgs()),
        env,
        secretEnv,
        mounts(container, pod, secretFiles, volumeRoot),
        security(sc, psc),
        first(sc == null ? null : sc.getRunAsUser(), psc == null ? null : psc.getRunAsUser()),
        first(sc == null ? null : sc.getRunAsGroup(), psc == null ? null : psc.getRunAsGroup()),
        supplementalGroups(psc),
        limit(container, "cpu"),
        limitBytes(container));
  }

  private static WorkloadContainer.Security security(SecurityContext sc, PodSecurityContext psc) {
    if (psc != null) {
      unsupported(psc.getSeLinuxOptions() != null, "pod seLinuxOptions");
      unsupported(psc.getSysctls() != null && !psc.getSysctls().isEmpty(), "pod sysctls");
      unsupported(psc.getWindowsOptions() != null, "pod windowsOptions");
      unsupported(psc.getAppArmorProfile() != null, "pod appArmorProfile");
    }
    SecurityContext c = sc == null ? new SecurityContext() : sc;
    unsupported(c.getSeLinuxOptions() != null, "seLinuxOptions");
    unsupported(c.getWindowsOptions() != null, "windowsOptions");
    unsupported(c.getAppArmorProfile() != null, "appArmorProfile");
    unsupported(c.getProcMount() != null && !c.getProcMount().equals("Default"), "procMount");
    Capabilities capabilities = c.getCapabilities();
    unsupported(
        capabilities != null && capabilities.getAdd() != null && !capabilities.getAdd().isEmpty(),
        "capabilities.add");
    String seccomp =
        c.getSeccompProfile() != null
            ? c.getSeccompProfile().getType()
            : psc != null && psc.getSeccompProfile() != null
                ? psc.getSeccompProfile().getType()
                : null;
    return new WorkloadContainer.Security(
        Boolean.TRUE.equals(first(c.getRunAsNonRoot(), psc == null ? null : psc.getRunAsNonRoot())),
        Boolean.TRUE.equals(c.getReadOnlyRootFilesystem()),
        !Boolean.FALSE.equals(c.getAllowPrivilegeEscalation()),
        Boolean.TRUE.equals(c.getPrivileged()),
        capabilities == null ? List.of() : orEmpty(capabilities.getDrop()),
        seccomp);
  }

  /** fsGroup and supplementalGroups: extra groups of the container's processes. */
  private static List<Long> supplementalGroups(PodSecurityContext psc) {
    List<Long> groups = new ArrayList<>();
    if (psc != null) {
      if (psc.getFsGroup() != null) {
        groups.add(psc.getFsGroup());
      }
      groups.addAll(orEmpty(psc.getSupplementalGroups()));
    }
    return groups;
  }

  /**
   * The permissions the kubelet gives the files of Secret volume {@code volume} of {@code pod}
   * ({@code defaultMode}, else Kubernetes' 0644), as {@code rwxr-x---} text. The kubelet owns them
   * by root (group {@code fsGroup} if set), as a harness running as root does.
   */
  static String secretFileMode(PodSpec pod, String volume) {
    Volume v =
        orEmpty(pod.getVolumes()).stream()
            .filter(candidate -> candidate.getName().equals(volume))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no volume " + volume));
    unsupported(v.getSecret() == null, "volume " + volume + " (not a Secret)");
    unsupported(
        pod.getSecurityContext() != null && pod.getSecurityContext().getFsGroup() != null,
        "fsGroup ownership of Secret volume files");
    Integer mode = v.getSecret().getDefaultMode();
    int bits = mode == null ? 0644 : mode;
    StringBuilder text = new StringBuilder();
    String letters = "rwx";
    for (int i = 8; i >= 0; i--) {
      text.append((bits & (1 << i)) != 0 ? letters.charAt((8 - i) % 3) : '-');
    }
    return text.toString();
  }

  private static List<ContainerSpec.Mount> mounts(
      Container container, PodSpec pod, Map<String, Map<String, Path>> secretFiles, Path root)
      throws IOException {
    List<ContainerSpec.Mount> mounts = new ArrayList<>();
    for (VolumeMount mount : orEmpty(container.getVolumeMounts())) {
      unsupported(mount.getSubPath() != null || mount.getSubPathExpr() != null, "subPath");
      Volume volume =
          orEmpty(pod.getVolumes()).stream()
              .filter(v -> v.getName().equals(mount.getName()))
              .findFirst()
              .orElseThrow(() -> new IOException("no volume " + mount.getName()));
      if (volume.getSecret() != null) {
        mounts.addAll(secretMounts(volume, mount, secretFiles));
        continue;
      }
      unsupported(volume.getEmptyDir() == null, "volume " + volume.getName() + " (not emptyDir)");
      Path dir = emptyDir(root.resolve(volume.getName()));
      mounts.add(
          new ContainerSpec.Mount(
              dir, mount.getMountPath(), Boolean.TRUE.equals(mount.getReadOnly())));
    }
    return mounts;
  }

  /**
   * A Secret volume: each key's host file mounted read-only under the mount path (the kubelet
   * mounts Secret volumes read-only whatever the mount says).
   */
  private static List<ContainerSpec.Mount> secretMounts(
      Volume volume, VolumeMount mount, Map<String, Map<String, Path>> secretFiles)
      throws IOException {
    SecretVolumeSource source = volume.getSecret();
    unsupported(source.getItems() != null && !source.getItems().isEmpty(), "Secret volume items");
    Map<String, Path> files = secretFiles.get(source.getSecretName());
    if (files == null) {
      if (Boolean.TRUE.equals(source.getOptional())) {
        return List.of();
      }
      throw new IOException(
          "FailedMount: secret "
              + source.getSecretName()
              + " of volume "
              + volume.getName()
              + " not found");
    }
    List<ContainerSpec.Mount> mounts = new ArrayList<>();
    files.forEach(
        (key, file) ->
            mounts.add(new ContainerSpec.Mount(file, mount.getMountPath() + "/" + key, true)));
    return mounts;
  }

  /** A fresh, world-writable directory, like a new emptyDir. */
  private static Path emptyDir(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    return dir;
  }

  private static Double limit(Container container, String resource) {
    Quantity q = limitQuantity(container, resource);
    return q == null ? null : Quantity.getAmountInBytes(q).doubleValue();
  }

  private static Long limitBytes(Container container) {
    Quantity q = limitQuantity(container, "memory");
    return q == null ? null : Quantity.getAmountInBytes(q).longValue();
  }

  private static Quantity limitQuantity(Container container, String resource) {
    if (container.getResources() == null || container.getResources().getLimits() == null) {
      return null;
    }
    return container.getResources().getLimits().get(resource);
  }

  private static void unsupported(boolean present, String what) {
    if (present) {
      throw new UnsupportedOperationException(
          what + " has no podman translation here: extend PodContainers");
    }
  }

  private static <T> T first(T a, T b) {
    return a != null ? a : b;
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
