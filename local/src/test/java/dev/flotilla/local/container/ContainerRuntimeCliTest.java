package dev.flotilla.local.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.local.FlotillaMain;
import dev.flotilla.local.process.JavaCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flotilla run --runtime containers} without a container engine says so and exits 2. */
class ContainerRuntimeCliTest {
  @TempDir Path dir;

  @Test
  void withoutPodmanTheContainerRuntimeFailsWithAClearMessage() throws Exception {
    Path manifest = dir.resolve("federation.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: flotilla.dev/v1alpha1
        kind: Federation
        metadata:
          name: nopodman
        spec:
          baseModel:
            uri: file:model
          task:
            type: SEQUENCE_CLASSIFICATION
            numLabels: 2
          rounds: 1
          sampling:
            clientsPerRound: 1
          aggregation:
            strategy: FEDAVG
            globalRank: 4
          storage:
            bucket: flotilla
          clientPools:
            names: [p]
        ---
        apiVersion: flotilla.dev/v1alpha1
        kind: ClientPool
        metadata:
          name: p
        spec:
          rank: 4
          clients:
            list:
              - id: c
                dataUri: file:c.jsonl
        """);
    ProcessBuilder builder =
        new ProcessBuilder(
                JavaCommand.ofCurrentJvm(List.of())
                    .command(
                        FlotillaMain.class.getName(),
                        List.of(
                            "run",
                            manifest.toString(),
                            "--workdir",
                            dir.resolve("work").toString(),
                            "--runtime",
                            "containers")))
            .redirectErrorStream(true);
    builder.environment().put(Podman.EXECUTABLE_VARIABLE, dir.resolve("no-podman").toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();

    assertThat(process.exitValue()).as(output).isEqualTo(2);
    assertThat(output)
        .contains("the container runtime needs podman")
        .contains("apt-get install podman runc")
        .contains("--runtime processes");
    assertThat(dir.resolve("work")).doesNotExist();
  }
}
