package dev.flotilla.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.protocol.Action;
import dev.flotilla.core.protocol.ClientRef;
import dev.flotilla.core.workload.WorkloadContainer;
import dev.flotilla.local.container.ContainerImages;
import dev.flotilla.local.container.ContainerLauncher;
import dev.flotilla.local.container.ContainerSpec;
import dev.flotilla.local.container.Podman;
import dev.flotilla.local.run.FederationBundle;
import dev.flotilla.local.run.WorkloadCommands;
import dev.flotilla.local.spec.CrdCatalog;
import dev.flotilla.local.spec.ManifestLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flotilla run --runtime containers} runs each workload exactly as the operator's Job would
 * (same image, arguments, environment without any storage credential, volume paths, the grant file
 * read-only at the Job's grant path, security settings and CPU limit): the container the local
 * runtime builds equals the one translated from JobFactory's Job, but for the host directories and
 * files behind the volumes.
 */
class ContainerParityTest {
  @TempDir Path dir;

  @Test
  void theLocalContainerRuntimeRunsWhatTheJobSays() throws Exception {
    Path manifest = dir.resolve("federation.yaml");
    Files.writeString(manifest, QuickstartInputs.manifest(2));
    FederationBundle bundle =
        FederationBundle.of(manifest, new ManifestLoader(CrdCatalog.bundled()).load(manifest));
    WorkloadCommands.Environment site =
        new WorkloadCommands.Environment(
            "http://127.0.0.1:9000", 1, dir.resolve("cache"), dir.resolve("scratch"));
    Podman podman = Podman.detect();
    ContainerImages images = ContainerImages.built();
    ContainerLauncher local =
        (ContainerLauncher) ContainerLauncher.factory(podman, images).open(bundle, site);
    List<JobLauncher> sink = new ArrayList<>();
    JobLauncher cluster =
        (JobLauncher) JobLauncher.factory(podman, images, sink).open(bundle, site);

    Instant deadline = Instant.parse("2030-01-01T00:00:00Z");
    List<ClientRef> clients = new ArrayList<>();
    for (int i = 0; i < QuickstartInputs.CLIENTS.size(); i++) {
      String id = QuickstartInputs.CLIENTS.get(i);
      ClientRef client =
          new ClientRef(
              id,
              "rank-" + QuickstartInputs.RANKS[i],
              QuickstartInputs.RANKS[i],
              "s3://flotilla/inputs/data/" + id + ".jsonl");
      clients.add(client);
      Action.CreateTrainer trainer =
          new Action.CreateTrainer(
              "images-r2-a1-" + id, 2, 1, 1, client, "runs/images/rounds/0001/ranks/4/", deadline);
      assertSame(
          local.trainerSpec(trainer, local.trainerInvocation(trainer)),
          cluster.trainerSpec(trainer));
    }
    Action.CreateAggregator aggregator =
        new Action.CreateAggregator(
            "images-r2-a1-aggregator",
            2,
            1,
            1,
            clients,
            clients.stream().map(c -> 1).toList(),
            List.of(4, 8, 16),
            0,
            deadline);
    assertSame(
        local.aggregatorSpec(aggregator, local.aggregatorInvocation(aggregator)),
        cluster.aggregatorSpec(aggregator));
  }

  private static void assertSame(ContainerSpec local, ContainerSpec job) {
    assertThat(local.secretEnv()).isEmpty();
    assertThat(local.mounts())
        .anySatisfy(
            m -> {
              assertThat(m.target()).isEqualTo(WorkloadContainer.GRANT_FILE_PATH);
              assertThat(m.readOnly()).isTrue();
            });
    assertThat(local).usingRecursiveComparison().ignoringFields("mounts").isEqualTo(job);
    assertThat(local.mounts())
        .extracting(m -> m.target() + (m.readOnly() ? ":ro" : ""))
        .isEqualTo(
            job.mounts().stream().map(m -> m.target() + (m.readOnly() ? ":ro" : "")).toList());
  }
}
