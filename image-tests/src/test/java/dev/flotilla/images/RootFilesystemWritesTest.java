package dev.flotilla.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.workload.WorkloadContainer;
import dev.flotilla.local.container.ContainerImages;
import dev.flotilla.local.container.ContainerSpec;
import dev.flotilla.local.container.Podman;
import dev.flotilla.local.run.LocalRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workloads write nothing but their volumes: a one-client, one-round quickstart federation runs
 * with each container exactly as its Job says except for a writable root filesystem, and {@code
 * podman diff} of every container afterwards must list no change (writes to {@code /tmp} and {@code
 * /cache} land in the volumes). A write outside them that the program would survive on the Jobs'
 * read-only root (a cache it silently does without, say) shows up here.
 */
class RootFilesystemWritesTest {
  /** The engine's own change: the mount points of /etc/hosts, /etc/hostname, /etc/resolv.conf. */
  private static final String ENGINE_MOUNT_POINTS = "C /etc";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  /**
   * Whether {@code change} ({@code "C /path"}, {@code "A /path"}) is the engine's mount point of
   * the grant file or a directory above it ({@code /var/run} is {@code /run} in the Debian base).
   */
  private static boolean grantMountPoint(String change) {
    String path = change.substring(change.indexOf(' ') + 1);
    return Stream.of(
            WorkloadContainer.GRANT_FILE_PATH,
            WorkloadContainer.GRANT_FILE_PATH.replaceFirst("^/var/run/", "/run/"))
        .anyMatch(target -> target.equals(path) || target.startsWith(path + "/"));
  }

  @Test
  void trainersAndTheAggregatorWriteOnlyTmpAndCache() throws Exception {
    BuiltImages.get();
    Path[] inputs = QuickstartInputs.fetch();
    Path manifest = dir.resolve("federation.yaml");
    Path workdir = dir.resolve("audit");
    QuickstartInputs.stage(inputs[0], inputs[1], workdir, manifest, 1, 1);
    Podman podman = Podman.detect();
    List<JobLauncher> launchers = new ArrayList<>();
    Map<String, List<String>> changes = new LinkedHashMap<>();
    try {
      int code =
          FederationRuns.run(
              manifest,
              workdir,
              JobLauncher.factory(podman, ContainerImages.built(), launchers, true),
              1);
      assertThat(code).as(FederationRuns.output(workdir)).isEqualTo(LocalRunner.COMPLETED);
    } finally {
      for (ContainerSpec container :
          launchers.isEmpty() ? List.<ContainerSpec>of() : launchers.get(0).started()) {
        changes.put(
            container.name(),
            podman.changes(container.name()).stream()
                .filter(c -> !c.equals(ENGINE_MOUNT_POINTS) && !grantMountPoint(c))
                .toList());
        podman.remove(container.name());
      }
    }
    assertThat(changes).as("one trainer and the aggregator").hasSize(2);
    assertThat(changes).allSatisfy((name, changed) -> assertThat(changed).as(name).isEmpty());
  }
}
