package dev.flotilla.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.PeftAdapterReader;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.core.storage.ClientMetrics;
import dev.flotilla.core.storage.EmbeddedS3Server;
import dev.flotilla.core.storage.RoundStore;
import dev.flotilla.core.storage.S3ObjectStore;
import dev.flotilla.core.storage.StorageJson;
import dev.flotilla.core.storage.StorageLayout;
import dev.flotilla.core.workload.ExitCode;
import dev.flotilla.model.testing.ChildJvm;
import dev.flotilla.model.testing.ChildJvm.Result;
import dev.flotilla.model.testing.TinyData;
import dev.flotilla.model.testing.TinyModels;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the trainer CLI as a separate process (credentials only come from the environment) against
 * an embedded S3 server: two rounds of one client, then bad data and unreachable storage.
 */
class TrainerCliTest {
  @TempDir static Path dir;
  static EmbeddedS3Server server;
  static S3ObjectStore store;
  static final StorageLayout LAYOUT = new StorageLayout("flt", "flotilla", "fed");

  @BeforeAll
  static void start() throws Exception {
    server = EmbeddedS3Server.startInMemory();
    store = S3ObjectStore.open(server.settings("flt"));
    Path bert = TinyModels.bert(dir.resolve("tiny-bert"), 1);
    try (Stream<Path> files = Files.list(bert)) {
      for (Path file : files.toList()) {
        store.put("models/tiny-bert/" + file.getFileName(), file);
      }
    }
    try (Stream<Path> files = Files.list(bert)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        store.put(
            (name.equals("tokenizer.json") ? "tokenizers/tiny/" : "models/tiny-bert-bare/") + name,
            file);
      }
    }
    store.put("data/a.jsonl", TinyData.sentiment(dir.resolve("a.jsonl"), 40, 3));
    Files.writeString(dir.resolve("bad.csv"), "text,label\ngood,1\nbad,7\n");
    store.put("data/bad.csv", dir.resolve("bad.csv"));
  }

  @AfterAll
  static void stop() throws Exception {
    store.close();
    server.close();
  }

  private static List<String> args(int round, String data, String endpoint) {
    return List.of(
        "--federation",
        "fed",
        "--round",
        Integer.toString(round),
        "--client-id",
        "a",
        "--rank",
        "4",
        "--alpha",
        "8",
        "--target-modules",
        "query,value",
        "--task",
        "seq-cls",
        "--num-labels",
        "2",
        "--epochs",
        "2",
        "--batch-size",
        "8",
        "--learning-rate",
        "1e-2",
        "--threads",
        "1",
        "--storage-endpoint",
        endpoint,
        "--storage-bucket",
        "flt",
        "--storage-prefix",
        "flotilla",
        "--base-model",
        "s3://flt/models/tiny-bert/",
        "--data",
        data,
        "--cache-dir",
        dir.resolve("cache").toString());
  }

  private static Result runCli(List<String> args) throws Exception {
    return ChildJvm.run(TrainerMain.class, args);
  }

  @Test
  void trainsTwoRoundsThroughObjectStorage() throws Exception {
    Result first = runCli(args(1, "s3://flt/data/a.jsonl", server.endpoint()));
    assertThat(first.exitCode()).as(first.output()).isEqualTo(ExitCode.OK.code());
    String prefix = LAYOUT.clientAdapterPrefix(1, "a", 1);
    assertThat(store.list(prefix))
        .containsExactlyInAnyOrder(
            prefix + StorageLayout.ADAPTER_MODEL,
            prefix + StorageLayout.ADAPTER_CONFIG,
            prefix + StorageLayout.METRICS);
    ClientMetrics metrics =
        new RoundStore(store, LAYOUT).readClientMetrics(1, "a", 1).orElseThrow();
    // 4 of 40 examples held out would be too few to evaluate: all 40 are trained
    assertThat(metrics.numSamples()).isEqualTo(40);
    assertThat(metrics.steps()).isEqualTo(10);
    assertThat(metrics.rank()).isEqualTo(4);
    assertThat(metrics.evalMetrics()).isEmpty();
    assertThat(metrics.peakMemoryBytes()).isGreaterThan(0);
    LoraAdapter adapter = readAdapter(prefix);
    assertThat(adapter.taskType()).isEqualTo(TaskType.SEQ_CLS);
    assertThat(adapter.modules())
        .hasSize(4)
        .allSatisfy((name, m) -> assertThat(m.rank()).isEqualTo(4));
    assertThat(adapter.extraTensors()).containsKeys("classifier.weight", "classifier.bias");

    // the aggregator's output for rank 4 becomes round 2's starting point
    String rankPrefix = LAYOUT.rankAdapterPrefix(1, 4);
    for (String file : List.of(StorageLayout.ADAPTER_MODEL, StorageLayout.ADAPTER_CONFIG)) {
      store.put(rankPrefix + file, store.getBytes(prefix + file));
    }
    Result second = runCli(args(2, "s3://flt/data/a.jsonl", server.endpoint()));
    assertThat(second.exitCode()).as(second.output()).isEqualTo(ExitCode.OK.code());
    assertThat(second.output()).contains("starting adapter s3://flt/" + rankPrefix);
    ClientMetrics again = new RoundStore(store, LAYOUT).readClientMetrics(2, "a", 1).orElseThrow();
    assertThat(again.trainLoss()).isLessThan(metrics.trainLoss());
  }

  @Test
  void theLocalEvaluationSplitFollowsTheOptionAndATinyOneIsNotReported() throws Exception {
    Path out = dir.resolve("tiny-eval-out");
    List<String> local =
        List.of(
            "--federation",
            "f",
            "--round",
            "1",
            "--client-id",
            "tiny-eval",
            "--rank",
            "2",
            "--epochs",
            "1",
            "--batch-size",
            "8",
            "--base-model",
            dir.resolve("tiny-bert").toString(),
            "--data",
            dir.resolve("a.jsonl").toString(),
            "--output-dir",
            out.toString(),
            "--threads",
            "1");
    Result result = runCli(local);
    assertThat(result.exitCode()).as(result.output()).isEqualTo(ExitCode.OK.code());
    assertThat(result.output())
        .contains("no local evaluation: 4 of 40 examples would be held out at eval fraction 0.1");
    ClientMetrics metrics =
        StorageJson.mapper()
            .readValue(out.resolve(StorageLayout.METRICS).toFile(), ClientMetrics.class);
    assertThat(metrics.numSamples()).isEqualTo(40);
    assertThat(metrics.evalMetrics()).isEmpty();

    List<String> quarter = new ArrayList<>(local);
    quarter.addAll(List.of("--eval-fraction", "0.25"));
    Result held = runCli(quarter);
    assertThat(held.exitCode()).as(held.output()).isEqualTo(ExitCode.OK.code());
    ClientMetrics split =
        StorageJson.mapper()
            .readValue(out.resolve(StorageLayout.METRICS).toFile(), ClientMetrics.class);
    // the weight counts the 30 training examples, not the 10 held out
    assertThat(split.numSamples()).isEqualTo(30);
    assertThat(split.evalMetrics()).containsEntry("examples", 10.0).containsKeys("accuracy");
  }

  @Test
  void badDataExitsWithTwoNamingTheLineAndUploadsNothing() throws Exception {
    Result result =
        runCli(
            args(1, "s3://flt/data/bad.csv", server.endpoint()).stream()
                .map(a -> a.equals("a") ? "b" : a)
                .toList());
    assertThat(result.exitCode()).as(result.output()).isEqualTo(ExitCode.BAD_INPUT.code());
    assertThat(result.output()).containsPattern("bad\\.csv:3: label 7 is out of range");
    assertThat(store.list(LAYOUT.clientAdapterPrefix(1, "b", 1))).isEmpty();
  }

  @Test
  void missingStartingAdapterIsBadInput() throws Exception {
    Result result = runCli(args(5, "s3://flt/data/a.jsonl", server.endpoint()));
    assertThat(result.exitCode()).as(result.output()).isEqualTo(ExitCode.BAD_INPUT.code());
    assertThat(result.output()).contains("no starting adapter for rank 4");
  }

  @Test
  void unreachableStorageIsTransient() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Result result = runCli(args(1, "s3://flt/data/a.jsonl", "http://127.0.0.1:" + port));
    assertThat(result.exitCode()).as(result.output()).isEqualTo(ExitCode.TRANSIENT.code());
  }

  @Test
  void tokenizerOutsideTheModelDirectoryComesFromTokenizerOption() throws Exception {
    List<String> bare =
        args(1, "s3://flt/data/a.jsonl", server.endpoint()).stream()
            .map(
                a -> a.equals("s3://flt/models/tiny-bert/") ? "s3://flt/models/tiny-bert-bare/" : a)
            .map(a -> a.equals("a") ? "t" : a)
            .toList();
    Result without = runCli(bare);
    assertThat(without.exitCode()).as(without.output()).isEqualTo(ExitCode.BAD_INPUT.code());
    assertThat(without.output()).contains("has no tokenizer.json");

    List<String> with = new ArrayList<>(bare);
    with.addAll(
        List.of(
            "--tokenizer", "s3://flt/tokenizers/tiny/tokenizer.json", "--architecture", "bert"));
    Result result = runCli(with);
    assertThat(result.exitCode()).as(result.output()).isEqualTo(ExitCode.OK.code());
    assertThat(store.list(LAYOUT.clientAdapterPrefix(1, "t", 1))).hasSize(3);
  }

  @Test
  void architectureOptionIsCheckedAgainstTheModel() {
    List<String> common =
        List.of(
            "--federation",
            "f",
            "--round",
            "1",
            "--client-id",
            "arch",
            "--rank",
            "4",
            "--base-model",
            dir.resolve("tiny-bert").toString(),
            "--data",
            dir.resolve("a.jsonl").toString(),
            "--output-dir",
            dir.resolve("arch-out").toString(),
            "--threads",
            "1");
    List<String> decoder = new ArrayList<>(common);
    decoder.addAll(List.of("--architecture", "llama", "--task", "causal-lm"));
    assertThat(TrainerMain.run(decoder.toArray(String[]::new)))
        .isEqualTo(ExitCode.BAD_INPUT.code());
    List<String> unknown = new ArrayList<>(common);
    unknown.addAll(List.of("--architecture", "gpt"));
    assertThat(TrainerMain.run(unknown.toArray(String[]::new)))
        .isEqualTo(ExitCode.BAD_INPUT.code());
    assertThat(dir.resolve("arch-out")).doesNotExist();
  }

  @Test
  void invalidOptionsAreBadInput() {
    assertThat(
            TrainerMain.run(
                "--federation",
                "f",
                "--round",
                "0",
                "--client-id",
                "a",
                "--rank",
                "4",
                "--base-model",
                dir.toString(),
                "--data",
                "x.jsonl",
                "--output-dir",
                dir.resolve("o").toString()))
        .isEqualTo(ExitCode.BAD_INPUT.code());
    assertThat(TrainerMain.run("--round", "1")).isEqualTo(ExitCode.BAD_INPUT.code());
  }

  private static LoraAdapter readAdapter(String prefix) throws IOException {
    Path local = Files.createTempDirectory(dir, "adapter");
    store.getToFile(
        prefix + StorageLayout.ADAPTER_MODEL, local.resolve(StorageLayout.ADAPTER_MODEL));
    store.getToFile(
        prefix + StorageLayout.ADAPTER_CONFIG, local.resolve(StorageLayout.ADAPTER_CONFIG));
    assertThat(
            StorageJson.mapper()
                .readTree(local.resolve(StorageLayout.ADAPTER_CONFIG).toFile())
                .get("peft_type")
                .asText())
        .isEqualTo("LORA");
    return PeftAdapterReader.read(local);
  }
}
