package dev.flotilla.local.container;

import dev.flotilla.core.workload.WorkloadContainer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One container to run, in the terms of a Kubernetes container spec: what both the local container
 * runtime and the image tests derive from a workload, and what {@link Podman} turns into a {@code
 * podman run} command.
 *
 * @param name container name
 * @param image image reference
 * @param pullPolicy Kubernetes image pull policy (Always, IfNotPresent, Never); null: IfNotPresent
 * @param args arguments after the image's entrypoint
 * @param env plain environment variables
 * @param secretEnv environment variables from Secrets: their values never go on a command line
 * @param mounts volumes, in order
 * @param security security settings
 * @param runAsUser UID to run as; null: the image's user
 * @param runAsGroup GID to run as; null: the image's group
 * @param supplementalGroups extra groups of the container's processes
 * @param cpus CPU limit in cores; null: none
 * @param memoryBytes memory limit; null: none
 */
public record ContainerSpec(
    String name,
    String image,
    String pullPolicy,
    List<String> args,
    Map<String, String> env,
    Map<String, String> secretEnv,
    List<Mount> mounts,
    WorkloadContainer.Security security,
    Long runAsUser,
    Long runAsGroup,
    List<Long> supplementalGroups,
    Double cpus,
    Long memoryBytes) {

  /**
   * A host directory mounted into the container.
   *
   * @param source host path
   * @param target path in the container
   * @param readOnly read-only mount
   */
  public record Mount(Path source, String target, boolean readOnly) {}

  /** Checks the fields and copies the collections (variables sorted by name). */
  public ContainerSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(security, "security");
    args = List.copyOf(args);
    env = Collections.unmodifiableMap(new TreeMap<>(env));
    secretEnv = Collections.unmodifiableMap(new TreeMap<>(secretEnv));
    mounts = List.copyOf(mounts);
    supplementalGroups = List.copyOf(supplementalGroups);
  }
}
