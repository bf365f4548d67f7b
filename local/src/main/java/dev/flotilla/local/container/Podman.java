package dev.flotilla.local.container;

import dev.flotilla.core.workload.WorkloadContainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link ContainerSpec}s with podman the way a kubelet runs a pod's container: the image's
 * entrypoint with the spec's arguments, only the spec's volumes writable under a read-only root, no
 * capabilities, no privilege escalation, the runtime's default seccomp profile, the host network
 * (the embedded S3 server listens on 127.0.0.1), and {@code runAsNonRoot} verified against the
 * image's user as the kubelet does. Secret values reach the container through podman's environment,
 * never its command line.
 */
public final class Podman {
  /** Environment variable naming the podman executable (default: podman on the PATH). */
  public static final String EXECUTABLE_VARIABLE = "FLOTILLA_PODMAN";

  private static final long COMMAND_TIMEOUT_SECONDS = 600;

  private final String executable;
  private final Map<String, String> imageUsers = new ConcurrentHashMap<>();

  /** A podman run command and the environment its process needs (the secret values). */
  public record Run(List<String> command, Map<String, String> environment) {}

  private Podman(String executable) {
    this.executable = executable;
  }

  /**
   * The podman of this machine.
   *
   * @throws ContainerEngineException when no working podman is found
   */
  public static Podman detect() throws ContainerEngineException {
    String executable = System.getenv().getOrDefault(EXECUTABLE_VARIABLE, "podman");
    Podman podman = new Podman(executable);
    try {
      podman.call(List.of("version", "--format", "{{.Client.Version}}"));
    } catch (IOException e) {
      throw new ContainerEngineException(
          "the container runtime needs podman, and '"
              + executable
              + "' does not work ("
              + e.getMessage()
              + "). Install it (Debian: apt-get install podman runc), or run with the default"
              + " --runtime processes",
          e);
    }
    return podman;
  }

  /**
   * The command running {@code spec} in the foreground (its exit code is the container's), removing
   * the container when it ends and replacing a leftover one of the same name.
   *
   * @throws ContainerEngineException when the image is missing and may not be pulled, or cannot
   *     satisfy the spec's security settings
   */
  public Run run(ContainerSpec spec) throws IOException {
    return run(spec, true);
  }

  /**
   * Like {@link #run(ContainerSpec)}, but the container stays after it ends, for {@link #changes};
   * remove it with {@link #remove}.
   */
  public Run runKept(ContainerSpec spec) throws IOException {
    return run(spec, false);
  }

  private Run run(ContainerSpec spec, boolean removeWhenDone) throws IOException {
    String imageUser = prepare(spec.image(), spec.pullPolicy());
    List<String> command = new ArrayList<>(List.of(executable, "run", "--replace"));
    if (removeWhenDone) {
      command.add("--rm");
    }
    command.addAll(List.of("--name", spec.name(), "--network", "host", "--pull", "never"));
    command.addAll(securityOptions(spec, imageUser));
    if (spec.cpus() != null) {
      command.add("--cpus=" + spec.cpus());
    }
    if (spec.memoryBytes() != null) {
      command.add("--memory=" + spec.memoryBytes());
    }
    for (ContainerSpec.Mount mount : spec.mounts()) {
      command.add(
          "--mount=type=bind,source="
              + mount.source().toAbsolutePath()
              + ",destination="
              + mount.target()
              + (mount.readOnly() ? ",ro=true" : ""));
    }
    spec.env().forEach((name, value) -> command.add("--env=" + name + "=" + value));
    spec.secretEnv().keySet().forEach(name -> command.add("--env=" + name));
    command.add(spec.image());
    command.addAll(spec.args());
    return new Run(command, spec.secretEnv());
  }

  /**
   * The podman options of the spec's security settings.
   *
   * @throws ContainerEngineException when the image runs as root (or an unverifiable user) and the
   *     spec says {@code runAsNonRoot}, or a setting has no podman equivalent
   */
  static List<String> securityOptions(ContainerSpec spec, String imageUser)
      throws ContainerEngineException {
    WorkloadContainer.Security security = spec.security();
    List<String> options = new ArrayList<>();
    if (security.runAsNonRoot()) {
      verifyNonRoot(spec, imageUser);
    }
    if (spec.runAsUser() != null) {
      options.add(
          "--user="
              + spec.runAsUser()
              + (spec.runAsGroup() == null ? "" : ":" + spec.runAsGroup()));
    } else if (spec.runAsGroup() != null) {
      throw new ContainerEngineException(
          spec.name() + ": runAsGroup without runAsUser has no podman equivalent");
    }
    for (Long group : spec.supplementalGroups()) {
      options.add("--group-add=" + group);
    }
    if (security.readOnlyRootFilesystem()) {
      // podman would mount writable tmpfs on /run, /tmp and /var/tmp; only the volumes may be.
      options.addAll(List.of("--read-only", "--read-only-tmpfs=false"));
    }
    if (security.privileged()) {
      options.add("--privileged");
    }
    if (!security.allowPrivilegeEscalation()) {
      options.add("--security-opt=no-new-privileges");
    }
    for (String capability : security.dropCapabilities()) {
      options.add("--cap-drop=" + capability);
    }
    switch (security.seccompProfile() == null ? "" : security.seccompProfile()) {
      case WorkloadContainer.Security.RUNTIME_DEFAULT, "" -> {
        // podman's default profile is the runtime default
      }
      case "Unconfined" -> options.add("--security-opt=seccomp=unconfined");
      default ->
          throw new ContainerEngineException(
              spec.name() + ": seccomp profile " + security.seccompProfile() + " is not supported");
    }
    return options;
  }

  /** The kubelet's runAsNonRoot check: an explicit non-zero UID, or a numeric non-zero USER. */
  private static void verifyNonRoot(ContainerSpec spec, String imageUser)
      throws ContainerEngineException {
    if (spec.runAsUser() != null) {
      if (spec.runAsUser() == 0) {
        throw new ContainerEngineException(
            spec.name() + ": container's runAsUser breaks non-root policy (runAsUser 0)");
      }
      return;
    }
    String uid = imageUser.split(":", 2)[0];
    if (uid.isEmpty() || uid.equals("root") || uid.equals("0")) {
      throw new ContainerEngineException(
          spec.name()
              + ": container has runAsNonRoot and image "
              + spec.image()
              + " will run as root");
    }
    if (!uid.chars().allMatch(Character::isDigit)) {
      throw new ContainerEngineException(
          spec.name()
              + ": container has runAsNonRoot and image "
              + spec.image()
              + " has non-numeric user ("
              + uid
              + "), cannot verify user is non-root");
    }
  }

  /** Makes the image available as the pull policy allows and returns its USER. */
  private String prepare(String image, String pullPolicy) throws IOException {
    String cached = imageUsers.get(image);
    if (cached != null) {
      return cached;
    }
    boolean present = exists(image);
    if ("Always".equals(pullPolicy) || (!present && !"Never".equals(pullPolicy))) {
      call(List.of("pull", "--quiet", image));
    } else if (!present) {
      throw new ContainerEngineException(
          "image "
              + image
              + " is not in podman's image store and its pull policy is Never: build it with"
              + " scripts/build-images.sh");
    }
    String user = call(List.of("image", "inspect", "--format", "{{.Config.User}}", image)).strip();
    imageUsers.put(image, user);
    return user;
  }

  /** Whether {@code image} is in podman's image store. */
  public boolean exists(String image) throws IOException {
    return exitCode(List.of("image", "exists", image)) == 0;
  }

  /**
   * The files container {@code name} changed in its root filesystem, as {@code podman diff} lists
   * them ({@code A /path} added, {@code C /path} changed, {@code D /path} deleted); writes to its
   * volumes are not among them.
   */
  public List<String> changes(String name) throws IOException {
    return call(List.of("diff", name)).lines().filter(l -> !l.isBlank()).toList();
  }

  /** Removes container {@code name} if it exists (stopping it first). */
  public void remove(String name) throws IOException {
    exitCode(List.of("rm", "--force", "--ignore", name));
  }

  private String call(List<String> args) throws IOException {
    Process process = start(args);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = waitFor(process, args);
    if (code != 0) {
      throw new IOException(
          executable + " " + String.join(" ", args) + " failed (" + code + "): " + output.strip());
    }
    return output;
  }

  private int exitCode(List<String> args) throws IOException {
    Process process = start(args);
    process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    return waitFor(process, args);
  }

  private Process start(List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.addAll(args);
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private int waitFor(Process process, List<String> args) throws IOException {
    try {
      if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(executable + " " + String.join(" ", args) + " timed out");
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while running " + executable, e);
    }
  }
}
