package dev.flotilla.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.core.storage.ClientMetrics;
import dev.flotilla.core.storage.EmbeddedS3Server;
import dev.flotilla.core.storage.RoundManifest;
import dev.flotilla.core.storage.RoundPlan;
import dev.flotilla.core.storage.RoundPlan.PlannedClient;
import dev.flotilla.core.storage.RoundStore;
import dev.flotilla.core.storage.S3ObjectStore;
import dev.flotilla.core.storage.StorageLayout;
import dev.flotilla.core.workload.ExitCode;
import dev.flotilla.model.AdapterPublisher;
import dev.flotilla.model.BaseModel;
import dev.flotilla.model.ModelWorkspace;
import dev.flotilla.model.eval.UntrainedBaseline;
import dev.flotilla.model.testing.ChildJvm;
import dev.flotilla.model.testing.ChildJvm.Result;
import dev.flotilla.model.testing.TinyData;
import dev.flotilla.model.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregator's held-out evaluation resolves the base model like the trainers do: a model
 * directory without {@code tokenizer.json} evaluates with {@code --tokenizer} and {@code
 * --architecture}. Runs the aggregator CLI as a separate process (credentials only come from the
 * environment) against an embedded S3 server, on two uploads of the tiny BERT.
 */
class AggregatorEvaluationTest {
  private static final String BUCKET = "flt";

  @TempDir static Path dir;
  static EmbeddedS3Server server;
  static S3ObjectStore store;
  static Path bare;

  @BeforeAll
  static void start() throws Exception {
    server = EmbeddedS3Server.startInMemory();
    store = S3ObjectStore.open(server.settings(BUCKET));
    Path bert = TinyModels.bert(dir.resolve("tiny-bert"), 1);
    bare = Files.createDirectories(dir.resolve("tiny-bert-bare"));
    try (Stream<Path> files = Files.list(bert)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (name.equals("tokenizer.json")) {
          store.put("tokenizers/tiny/" + name, file);
        } else {
          store.put("models/tiny-bert-bare/" + name, file);
          Files.copy(file, bare.resolve(name));
        }
      }
    }
    store.put("data/test.jsonl", TinyData.sentiment(dir.resolve("test.jsonl"), 40, 7));
    ModelWorkspace.configureEngine(1, dir.resolve("cache"));
    LoraAdapter fresh =
        UntrainedBaseline.adapter(
            BaseModel.local(bert), TaskType.SEQ_CLS, 2, 4, 8, List.of("query", "value"), 42);
    for (String federation : List.of("fed", "fed-no-tokenizer")) {
      uploadRound(new StorageLayout(BUCKET, "flotilla", federation), fresh);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    store.close();
    server.close();
  }

  /** Round 1 of two rank-4 clients, each with its own small update of the fresh adapter. */
  private static void uploadRound(StorageLayout layout, LoraAdapter fresh) throws Exception {
    List<PlannedClient> clients = new ArrayList<>();
    AdapterPublisher publisher = new AdapterPublisher(store, dir.resolve("staging"));
    Random random = new Random(3);
    for (String client : List.of("a", "b")) {
      clients.add(new PlannedClient(client, "pool", 4, "s3://flt/data/" + client, null));
      Map<String, LoraModule> modules = new LinkedHashMap<>();
      fresh
          .modules()
          .forEach(
              (name, m) -> modules.put(name, new LoraModule(name, m.a(), nudged(m.b(), random))));
      publisher.publishClient(
          layout,
          fresh.withWeights(modules, fresh.extraTensors()),
          new ClientMetrics(
              ClientMetrics.SCHEMA_VERSION,
              client,
              1,
              1,
              4,
              20,
              5,
              0.6,
              Map.of(),
              1.0,
              1,
              null,
              null));
    }
    new RoundStore(store, layout)
        .writePlan(
            new RoundPlan(RoundPlan.SCHEMA_VERSION, layout.federation(), 1, 1, 0, 4, clients));
  }

  private static FloatTensor nudged(FloatTensor t, Random random) {
    float[] data = t.data().clone();
    for (int i = 0; i < data.length; i++) {
      data[i] += (float) (0.01 * random.nextGaussian());
    }
    return new FloatTensor(t.shape(), data);
  }

  private static List<String> args(String federation, String... evaluation) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--federation",
                federation,
                "--round",
                "1",
                "--task-type",
                "SEQ_CLS",
                "--strategy",
                "FEDAVG",
                "--global-rank",
                "4",
                "--alpha",
                "8",
                "--linalg",
                "java",
                "--storage-endpoint",
                server.endpoint(),
                "--storage-bucket",
                BUCKET,
                "--storage-prefix",
                "flotilla",
                "--work-dir",
                dir.resolve("work-" + federation).toString(),
                "--eval-data",
                "s3://flt/data/test.jsonl",
                "--max-seq-length",
                "16",
                "--threads",
                "1",
                "--cache-dir",
                dir.resolve("cache").toString()));
    args.addAll(List.of(evaluation));
    return args;
  }

  private static Result runCli(List<String> args) throws Exception {
    return ChildJvm.run(AggregatorMain.class, args);
  }

  @Test
  void baseModelWithoutTokenizerEvaluatesWithTheTokenizerOption() throws Exception {
    Result result =
        runCli(
            args(
                "fed",
                "--base-model",
                "s3://flt/models/tiny-bert-bare/",
                "--tokenizer",
                "s3://flt/tokenizers/tiny/tokenizer.json",
                "--architecture",
                "bert"));

    assertThat(result.exitCode()).as(result.output()).isEqualTo(ExitCode.OK.code());
    RoundManifest manifest =
        new RoundStore(store, new StorageLayout(BUCKET, "flotilla", "fed"))
            .readManifest(1)
            .orElseThrow();
    assertThat(manifest.accepted()).hasSize(2);
    assertThat(manifest.evalMetrics())
        .containsKeys("accuracy", "loss", "untrained_accuracy", "untrained_loss")
        .containsEntry("examples", 40.0);
    assertThat(dir.resolve("cache/models/s3/flt/models/tiny-bert-bare/config.json"))
        .as("the base model is cached like the trainers cache it")
        .isRegularFile();
  }

  @Test
  void baseModelWithoutTokenizerAndNoTokenizerOptionIsBadInput() throws Exception {
    Result result = runCli(args("fed-no-tokenizer", "--base-model", bare.toString()));

    assertThat(result.exitCode()).as(result.output()).isEqualTo(ExitCode.BAD_INPUT.code());
    assertThat(result.output()).contains("has no tokenizer.json");
    assertThat(
            new RoundStore(store, new StorageLayout(BUCKET, "flotilla", "fed-no-tokenizer"))
                .isCommitted(1))
        .isFalse();
  }
}
