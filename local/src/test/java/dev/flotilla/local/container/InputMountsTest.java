package dev.flotilla.local.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.local.run.FederationBundle;
import dev.flotilla.local.spec.CrdCatalog;
import dev.flotilla.local.spec.ManifestLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container runtime mounts a federation's local inputs read-only at their own paths (a data
 * template's directory whole), leaves {@code s3://} inputs to the object store and missing paths to
 * the program; pool CPU quantities become podman's cores.
 */
class InputMountsTest {
  @TempDir Path dir;

  @Test
  void localInputsAreMountedReadOnlyAtTheirOwnPaths() throws Exception {
    Files.createDirectories(dir.resolve("model"));
    Files.createDirectories(dir.resolve("gen"));
    Files.writeString(dir.resolve("a.jsonl"), "{}");
    Path manifest = dir.resolve("federation.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: flotilla.dev/v1alpha1
        kind: Federation
        metadata:
          name: mounts
        spec:
          baseModel:
            uri: file:model
          task:
            type: SEQUENCE_CLASSIFICATION
            numLabels: 2
          rounds: 1
          sampling:
            clientsPerRound: 2
          aggregation:
            strategy: FEDAVG
            globalRank: 4
          evaluation:
            dataUri: s3://flotilla/eval.jsonl
          storage:
            bucket: flotilla
          clientPools:
            names: [listed, generated]
        ---
        apiVersion: flotilla.dev/v1alpha1
        kind: ClientPool
        metadata:
          name: listed
        spec:
          rank: 4
          clients:
            list:
              - id: a
                dataUri: file:a.jsonl
              - id: missing
                dataUri: file:missing.jsonl
        ---
        apiVersion: flotilla.dev/v1alpha1
        kind: ClientPool
        metadata:
          name: generated
        spec:
          rank: 4
          clients:
            count: 2
            dataUriTemplate: file:gen/client-{index}.jsonl
        """);
    FederationBundle bundle =
        FederationBundle.of(manifest, new ManifestLoader(CrdCatalog.bundled()).load(manifest));

    assertThat(InputMounts.of(bundle))
        .extracting(m -> m.source() + " -> " + m.target() + (m.readOnly() ? " ro" : ""))
        .containsExactlyInAnyOrder(
            dir.resolve("model") + " -> " + dir.resolve("model") + " ro",
            dir.resolve("a.jsonl") + " -> " + dir.resolve("a.jsonl") + " ro",
            dir.resolve("gen") + " -> " + dir.resolve("gen") + " ro");
  }

  @Test
  void cpuQuantitiesAreCores() {
    assertThat(CpuQuantity.cores("2")).isEqualTo(2.0);
    assertThat(CpuQuantity.cores("1.5")).isEqualTo(1.5);
    assertThat(CpuQuantity.cores("500m")).isEqualTo(0.5);
  }
}
