package dev.flotilla.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flotilla.core.workload.WorkloadContainer;
import dev.flotilla.core.workload.WorkloadEnvironment;
import dev.flotilla.local.container.ContainerImages;
import dev.flotilla.local.container.ContainerSpec;
import dev.flotilla.local.container.Podman;
import dev.flotilla.local.run.LocalRunner;
import dev.flotilla.local.run.ProcessLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real federation whose trainers and aggregator all run from their images: three quickstart
 * clients (MiniLM, UCI sentiment, ranks 4, 8, 16, one CPU each), two rounds, inputs in the embedded
 * S3 server. Every workload runs as the container of the Job {@code JobFactory} builds for it
 * (arguments, environment without storage credential, volumes, the grant Secret minted as the
 * operator mints it and mounted read-only, security context, CPU limit), via {@link PodContainers}
 * and podman. The same federation with the process runtime must reach the same held-out accuracy in
 * every round.
 */
class ContainerRoundTest {
  private static final int ROUNDS = 2;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path dir;

  private static Path manifest;
  private static Path model;
  private static Path data;

  @BeforeAll
  static void inputs() throws Exception {
    BuiltImages.get();
    Path[] inputs = QuickstartInputs.fetch();
    model = inputs[0];
    data = inputs[1];
    manifest = dir.resolve("federation.yaml");
  }

  @Test
  void quickstartRoundsFromTheImagesMatchTheProcessRuntime() throws Exception {
    // Containers first: a broken image fails here, before the slower reference run.
    Path containers = dir.resolve("containers");
    QuickstartInputs.stage(model, data, containers, manifest, ROUNDS);
    List<JobLauncher> launchers = new ArrayList<>();
    Instant start = Instant.now();
    int containerCode =
        FederationRuns.run(
            manifest,
            containers,
            JobLauncher.factory(Podman.detect(), ContainerImages.built(), launchers),
            3);
    Duration containerTime = Duration.between(start, Instant.now());
    assertThat(containerCode)
        .as(FederationRuns.output(containers))
        .isEqualTo(LocalRunner.COMPLETED);

    Path processes = dir.resolve("processes");
    QuickstartInputs.stage(model, data, processes, manifest, ROUNDS);
    start = Instant.now();
    int processCode =
        FederationRuns.run(manifest, processes, ProcessLauncher.factory(List.of("-Xmx2g")), 3);
    Duration processTime = Duration.between(start, Instant.now());
    assertThat(processCode).as(FederationRuns.output(processes)).isEqualTo(LocalRunner.COMPLETED);

    List<ContainerSpec> started = launchers.get(0).started();
    assertThat(started).as("3 trainers and 1 aggregator per round").hasSize(4 * ROUNDS);
    assertThat(started)
        .allSatisfy(
            c -> {
              assertThat(c.image()).startsWith("localhost/flotilla-");
              assertThat(c.security()).isEqualTo(WorkloadContainer.SECURITY);
              assertThat(c.secretEnv()).as("no storage credential").isEmpty();
              assertThat(c.env())
                  .doesNotContainKeys(
                      WorkloadEnvironment.ACCESS_KEY, WorkloadEnvironment.SECRET_KEY);
              assertThat(c.mounts())
                  .extracting(m -> m.target() + (m.readOnly() ? ":ro" : ""))
                  .containsExactly(
                      WorkloadContainer.TMP_PATH,
                      WorkloadContainer.CACHE_PATH,
                      WorkloadContainer.GRANT_FILE_PATH + ":ro");
            });
    assertThat(started.stream().filter(c -> c.image().contains("trainer"))).hasSize(3 * ROUNDS);

    List<Double> expected = FederationRuns.accuracies(processes, "images", ROUNDS);
    List<Double> actual = FederationRuns.accuracies(containers, "images", ROUNDS);
    System.out.printf(
        "container round: processes %s in %s, containers %s in %s%n",
        expected, processTime, actual, containerTime);
    for (int round = 0; round < ROUNDS; round++) {
      assertThat(actual.get(round))
          .as("held-out accuracy after round " + (round + 1))
          .isCloseTo(expected.get(round), within(1e-9));
    }
    assertThat(actual.get(ROUNDS - 1)).as("training works").isGreaterThan(0.6);
  }
}
