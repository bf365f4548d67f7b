package dev.flotilla.local.container;

import dev.flotilla.core.workload.WorkloadContainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The host directories behind a workload container's volumes, world-writable like a Kubernetes
 * {@code emptyDir} (the image's user is not the user running podman): a fresh {@code /tmp} per
 * start under {@code <scratch>/<workload>/tmp}, one {@code /cache} per run next to the scratch
 * directory, the workload's grant file {@code <scratch>/<workload>/grant.json} read-only, and the
 * run's read-only inputs.
 */
final class WorkloadVolumes {
  /**
   * Permissions of a grant file: readable by the container's user, which is not this user; the
   * workload's directory ({@code rwx------}) keeps it from other users of this machine.
   */
  static final String GRANT_PERMISSIONS = "r--r--r--";

  private final Path scratch;
  private final List<ContainerSpec.Mount> inputs;

  WorkloadVolumes(Path scratch, List<ContainerSpec.Mount> inputs) {
    this.scratch = scratch;
    this.inputs = List.copyOf(inputs);
  }

  /** The host file of workload {@code name}'s grant (written by the local runner). */
  Path grantFile(String name) {
    return scratch.resolve(name).resolve(WorkloadContainer.GRANT_FILE);
  }

  /**
   * The mounts of one start of workload {@code name}, its {@code /tmp} emptied, its grant file
   * read-only at the Job's grant path.
   */
  List<ContainerSpec.Mount> forWorkload(String name) throws IOException {
    Path own = scratch.resolve(name);
    Files.createDirectories(own);
    Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwx------"));
    Path tmp = own.resolve("tmp");
    deleteRecursively(tmp);
    List<ContainerSpec.Mount> mounts = new ArrayList<>();
    mounts.add(new ContainerSpec.Mount(emptyDir(tmp), WorkloadContainer.TMP_PATH, false));
    mounts.add(
        new ContainerSpec.Mount(
            emptyDir(scratch.resolveSibling("container-cache")),
            WorkloadContainer.CACHE_PATH,
            false));
    mounts.add(new ContainerSpec.Mount(grantFile(name), WorkloadContainer.GRANT_FILE_PATH, true));
    mounts.addAll(inputs);
    return mounts;
  }

  private static Path emptyDir(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    return dir;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
