package dev.flotilla.local.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import dev.flotilla.core.adapter.PeftAdapterReader;
import dev.flotilla.core.storage.RoundManifest;
import dev.flotilla.core.storage.RoundStore;
import dev.flotilla.core.storage.S3ObjectStore;
import dev.flotilla.core.storage.S3Settings;
import dev.flotilla.core.storage.StorageLayout;
import dev.flotilla.local.FlotillaMain;
import dev.flotilla.local.process.JavaCommand;
import dev.flotilla.local.s3.EmbeddedS3Server;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole local runtime on a tiny random BERT: 3 clients at ranks 2, 4 and 8, 2 rounds, real
 * trainer and aggregator processes through the embedded S3 server; then the same federation killed
 * with SIGKILL while its trainers run, resumed with {@code --resume}, must end with the
 * bit-identical final adapter (training is seeded, aggregation deterministic).
 */
class LocalRunEndToEndTest {
  private static final long TIMEOUT_MINUTES = 10;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path dir;

  private static Path manifest;

  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private static String classpath;

  @BeforeAll
  static void federation() throws IOException {
    manifest = TinyFederation.write(dir, 2);
    classpath = snapshotClasspath(dir.resolve("classpath"));
  }

  /**
   * The test class path with Flotilla's own jars copied aside, so the runtime and its workloads
   * keep loading classes from stable files even when the local Maven repository is re-installed
   * while the test runs.
   */
  private static String snapshotClasspath(Path target) throws IOException {
    Files.createDirectories(target);
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (Files.isRegularFile(path) && path.getFileName().toString().startsWith("flotilla-")) {
        Path copy = target.resolve(path.getFileName());
        Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
        entries.add(copy.toString());
      } else {
        entries.add(entry);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static Process runtime(Path workdir, String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("run", manifest.toString(), "--workdir"));
    args.add(workdir.toString());
    args.addAll(List.of("--parallel", "3", "--threads", "1"));
    args.addAll(List.of(extra));
    ProcessBuilder builder =
        new ProcessBuilder(
            new JavaCommand(JAVA, classpath, List.of("-Xmx512m"))
                .command(FlotillaMain.class.getName(), args));
    builder.redirectErrorStream(true);
    builder.redirectOutput(workdir.resolveSibling(workdir.getFileName() + ".out").toFile());
    return builder.start();
  }

  private static int runToEnd(Path workdir, String... extra) throws Exception {
    Process p = runtime(workdir, extra);
    assertThat(p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)).as("runtime finished").isTrue();
    return p.exitValue();
  }

  private static String output(Path workdir) throws IOException {
    return Files.readString(workdir.resolveSibling(workdir.getFileName() + ".out"));
  }

  private static LoraAdapter adapter(S3ObjectStore store, String prefix) throws IOException {
    try (InputStream config = store.get(prefix + StorageLayout.ADAPTER_CONFIG);
        InputStream weights = store.get(prefix + StorageLayout.ADAPTER_MODEL)) {
      long length = store.size(prefix + StorageLayout.ADAPTER_MODEL);
      return PeftAdapterReader.read(config, "config", weights, length, "weights");
    }
  }

  @Test
  void runsTwoRoundsAndResumesAKilledRunToTheSameAdapter() throws Exception {
    Path complete = dir.resolve("complete");
    assertThat(runToEnd(complete)).as(output(complete)).isZero();

    try (EmbeddedS3Server server = EmbeddedS3Server.start(complete.resolve("s3"), "flotilla");
        S3ObjectStore store =
            S3ObjectStore.open(
                new S3Settings(
                    server.endpoint(),
                    "us-east-1",
                    server.accessKey(),
                    server.secretKey(),
                    "flotilla",
                    true,
                    false))) {
      StorageLayout layout = new StorageLayout("flotilla", "flotilla", "tiny");
      RoundStore rounds = new RoundStore(store, layout);
      RoundManifest first = rounds.readManifest(1).orElseThrow();
      RoundManifest second = rounds.readManifest(2).orElseThrow();
      assertThat(second.accepted()).hasSize(3);
      assertThat(second.rankAdapterPrefixes()).containsOnlyKeys(2, 4, 8);
      assertThat(second.evalMetrics()).containsKeys("accuracy", "loss");
      assertThat(first.evalMetrics())
          .as("round 1 starts from fresh adapters: the untrained starting point is scored")
          .containsKeys("untrained_accuracy", "untrained_loss");
      assertThat(second.evalMetrics()).doesNotContainKey("untrained_loss");
      assertThat(second.evalMetrics().get("loss"))
          .as("training beats the untrained starting point on the held-out set")
          .isLessThan(first.evalMetrics().get("untrained_loss"));
      assertThat(second.meanTrainLoss()).isLessThan(first.meanTrainLoss());
      for (int rank : List.of(2, 4, 8)) {
        LoraAdapter byRank = adapter(store, layout.rankAdapterPrefix(2, rank));
        assertThat(byRank.modules()).hasSize(4);
        for (LoraModule module : byRank.modules().values()) {
          assertThat(module.a().shape()).containsExactly(rank, 16);
          assertThat(module.b().shape()).containsExactly(16, rank);
        }
      }
      assertThat(adapter(store, layout.globalAdapterPrefix(2)).maxRank()).isEqualTo(8);
    }
    List<String> csv = Files.readAllLines(complete.resolve("output/metrics.csv"));
    assertThat(csv).hasSize(4);
    assertThat(csv.get(1)).as("round 0: untrained starting point").startsWith("0,,,,,");
    assertThat(output(complete)).containsPattern("(?m)^\\s+0\\s+-\\s+-\\s+-");
    assertThat(complete.resolve("output/metrics.png")).isNotEmptyFile();
    assertThat(output(complete)).contains("federation tiny: Completed");

    Path killed = dir.resolve("killed");
    Process victim = runtime(killed);
    waitForRunningTrainer(killed.resolve("workloads.json"), victim);
    victim.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
    Map<String, String> committed = objects(killed, "rounds/0001/");
    assertThat(committed).containsKey("rounds/0001/manifest.json");
    assertThat(objects(killed, "rounds/0002/")).doesNotContainKey("rounds/0002/manifest.json");
    assertThat(runToEnd(killed)).as("refuses to reuse state without --resume").isEqualTo(2);
    assertThat(runToEnd(killed, "--resume")).as(output(killed)).isZero();

    assertThat(objects(killed, "rounds/0001/"))
        .as("committed round untouched")
        .isEqualTo(committed);
    assertThat(output(killed)).contains("federation tiny: Completed");
    assertThat(Files.readAllLines(killed.resolve("output/metrics.csv"))).hasSize(4);
    assertThat(Files.readAllBytes(killed.resolve("output/adapter/adapter_model.safetensors")))
        .as("bit-identical final adapter after kill and resume")
        .isEqualTo(
            Files.readAllBytes(complete.resolve("output/adapter/adapter_model.safetensors")));
  }

  /**
   * Base64 of the objects of a run's federation under {@code prefix} (read from the embedded
   * store's files), {@code metrics.json} excluded (it records wall time).
   */
  private static Map<String, String> objects(Path workdir, String prefix) throws IOException {
    Path root = workdir.resolve("s3/flotilla/flotilla/tiny");
    Map<String, String> objects = new TreeMap<>();
    Path start = root.resolve(prefix);
    if (!Files.isDirectory(start)) {
      return objects;
    }
    try (Stream<Path> files = Files.walk(start)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String key = root.relativize(file).toString();
        if (!key.endsWith("metrics.json")) {
          objects.put(key, Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
        }
      }
    }
    return objects;
  }

  /** Waits until a trainer of round 2 is running (round 1 committed), so the kill is mid-round. */
  private static void waitForRunningTrainer(Path workloads, Process runtime) throws Exception {
    ObjectMapper json = new ObjectMapper();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(TIMEOUT_MINUTES);
    while (System.nanoTime() < deadline && runtime.isAlive()) {
      if (Files.exists(workloads)) {
        try {
          for (JsonNode w : json.readTree(workloads.toFile())) {
            if (w.path("round").asInt() == 2
                && w.path("kind").asText().equals("TRAINER")
                && w.path("state").asText().equals("RUNNING")) {
              return;
            }
          }
        } catch (IOException e) {
          // the file is replaced atomically; a failed read is a race with a rename: retry
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no round-2 trainer started; runtime alive: " + runtime.isAlive());
  }
}
