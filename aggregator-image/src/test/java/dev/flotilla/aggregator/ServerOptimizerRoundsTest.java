package dev.flotilla.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import dev.flotilla.core.adapter.PeftAdapterWriter;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.core.aggregation.AggregationStrategyType;
import dev.flotilla.core.aggregation.DenseKernels;
import dev.flotilla.core.aggregation.ServerOptimizerConfig;
import dev.flotilla.core.aggregation.ServerOptimizerType;
import dev.flotilla.core.aggregation.Weighting;
import dev.flotilla.core.storage.ClientMetrics;
import dev.flotilla.core.storage.ForwardingObjectStore;
import dev.flotilla.core.storage.InMemoryObjectStore;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.RoundManifest;
import dev.flotilla.core.storage.RoundPlan;
import dev.flotilla.core.storage.RoundPlan.PlannedClient;
import dev.flotilla.core.storage.RoundStore;
import dev.flotilla.core.storage.Sha256;
import dev.flotilla.core.storage.StorageLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rounds with a server optimizer through the aggregator's real path: the state is stored with the
 * round and hashed in its manifest, a crash and resume give bit-identical rounds, and a round in
 * which no client trained keeps the previous adapters.
 */
class ServerOptimizerRoundsTest {
  private static final double ALPHA = 16;
  private static final int RANK = 4;
  private static final List<String> CLIENTS = List.of("a", "b", "c");

  @TempDir Path scratch;

  private final StorageLayout layout = new StorageLayout("bucket", "flotilla", "fed");

  /** Once armed, fails the next conditional write (the manifest), like an aggregator killed. */
  private static final class CrashBeforeManifest extends ForwardingObjectStore {
    boolean crash;

    CrashBeforeManifest() {
      super(new InMemoryObjectStore());
    }

    @Override
    public boolean putIfAbsent(String key, byte[] bytes) throws IOException {
      if (crash) {
        crash = false;
        throw new IOException("simulated crash before " + key);
      }
      return super.putIfAbsent(key, bytes);
    }
  }

  private static FloatTensor gaussian(Random random, int rows, int cols, double scale) {
    float[] data = new float[rows * cols];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (random.nextGaussian() * scale);
    }
    return new FloatTensor(new int[] {rows, cols}, data);
  }

  private static LoraAdapter adapter(long seed, boolean trained) {
    Random random = new Random(seed);
    Map<String, LoraModule> modules = new LinkedHashMap<>();
    for (String name : List.of("layer.0.query", "layer.0.value")) {
      FloatTensor a = gaussian(random, RANK, 16, 0.2);
      FloatTensor b = trained ? gaussian(random, 12, RANK, 0.05) : FloatTensor.zeros(12, RANK);
      modules.put(name, new LoraModule(name, a, b));
    }
    return new LoraAdapter(
        "tiny-bert",
        TaskType.SEQ_CLS,
        ALPHA,
        0.0,
        List.of("query", "value"),
        modules,
        List.of("classifier"),
        Map.of("classifier.weight", gaussian(random, 2, 12, 0.1)));
  }

  private void uploadRound(ObjectStore store, int round, boolean trained) throws IOException {
    RoundStore rounds = new RoundStore(store, layout);
    List<PlannedClient> planned = new ArrayList<>();
    for (String c : CLIENTS) {
      planned.add(new PlannedClient(c, "pool", RANK, "/data/" + c, null));
    }
    rounds.writePlan(
        new RoundPlan(RoundPlan.SCHEMA_VERSION, "fed", round, 1, round - 1, RANK, planned));
    for (int i = 0; i < CLIENTS.size(); i++) {
      String client = CLIENTS.get(i);
      Path dir = Files.createTempDirectory(scratch, client);
      PeftAdapterWriter.write(adapter(round * 100L + i, trained), dir);
      String prefix = layout.clientAdapterPrefix(round, client, 1);
      store.put(prefix + StorageLayout.ADAPTER_MODEL, dir.resolve(StorageLayout.ADAPTER_MODEL));
      store.put(prefix + StorageLayout.ADAPTER_CONFIG, dir.resolve(StorageLayout.ADAPTER_CONFIG));
      rounds.writeClientMetrics(
          new ClientMetrics(
              ClientMetrics.SCHEMA_VERSION,
              client,
              round,
              1,
              RANK,
              10 + i,
              5,
              0.5,
              Map.of(),
              1.0,
              1,
              Sha256.hex(store.getBytes(prefix + StorageLayout.ADAPTER_MODEL)),
              Sha256.hex(store.getBytes(prefix + StorageLayout.ADAPTER_CONFIG))));
    }
  }

  private RoundAggregation aggregation(
      ObjectStore store, int round, AggregationStrategyType strategy, ServerOptimizerConfig opt)
      throws IOException {
    RoundAggregation.Settings settings =
        new RoundAggregation.Settings(
            round,
            1,
            Set.of(),
            strategy,
            RANK,
            Weighting.SAMPLES,
            ALPHA,
            new TreeSet<>(List.of(RANK)),
            1,
            10,
            0,
            42,
            round - 1,
            opt);
    return new RoundAggregation(
        store,
        layout,
        Files.createTempDirectory(scratch, "work"),
        Optional.empty(),
        settings,
        new UploadChecks(1, ALPHA, TaskType.SEQ_CLS, "tiny-bert"),
        DenseKernels.auto());
  }

  private static ServerOptimizerConfig optimizer(String name) {
    ServerOptimizerType type = ServerOptimizerType.forName(name);
    ServerOptimizerConfig d = ServerOptimizerConfig.defaults(type);
    return type == ServerOptimizerType.SGD
        ? new ServerOptimizerConfig(type, 0.8, 0.9, d.beta1(), d.beta2(), d.tau(), 6)
        : d;
  }

  /** Every object of the federation but the manifests, and each manifest's output hashes. */
  private Map<String, String> snapshot(ObjectStore store) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (String key : store.list(layout.roundsPrefix())) {
      if (key.endsWith(StorageLayout.MANIFEST)) {
        RoundManifest m = StorageJsonManifest.read(store, key);
        out.put(key, m.outputSha256().toString() + m.accepted());
      } else {
        out.put(key, Sha256.hex(store.getBytes(key)));
      }
    }
    return out;
  }

  @ParameterizedTest
  @CsvSource({"FEDAVG, adam", "HETLORA, yogi", "FEDAVG, adagrad", "FLEXLORA, sgd"})
  void aResumedRunIsBitIdenticalToAnUninterruptedOne(
      AggregationStrategyType strategy, String optimizer) throws Exception {
    ServerOptimizerConfig opt = optimizer(optimizer);
    InMemoryObjectStore straight = new InMemoryObjectStore();
    CrashBeforeManifest crashing = new CrashBeforeManifest();
    for (int round = 1; round <= 3; round++) {
      uploadRound(straight, round, true);
      uploadRound(crashing, round, true);
      aggregation(straight, round, strategy, opt).run();
      if (round == 2) {
        int r = round;
        crashing.crash = true;
        assertThatThrownBy(() -> aggregation(crashing, r, strategy, opt).run())
            .isInstanceOf(IOException.class);
        assertThat(crashing.exists(layout.serverOptimizerStateKey(round))).isTrue();
      }
      assertThat(aggregation(crashing, round, strategy, opt).run())
          .isEqualTo(RoundAggregation.Outcome.COMMITTED);
    }
    assertThat(snapshot(crashing)).isEqualTo(snapshot(straight));
    RoundManifest third = new RoundStore(straight, layout).readManifest(3).orElseThrow();
    String stateKey = layout.serverOptimizerStateKey(3);
    assertThat(third.outputSha256())
        .containsEntry(stateKey, Sha256.hex(straight.getBytes(stateKey)));
  }

  @ParameterizedTest
  @CsvSource({"FLEXLORA, none", "FEDAVG, none", "FEDAVG, adam", "FLEXLORA, sgd"})
  void aRoundInWhichNoClientTrainedKeepsThePreviousAdapters(
      AggregationStrategyType strategy, String optimizer) throws Exception {
    ServerOptimizerConfig opt =
        optimizer.equals("none") ? ServerOptimizerConfig.NONE : optimizer(optimizer);
    InMemoryObjectStore store = new InMemoryObjectStore();
    uploadRound(store, 1, true);
    aggregation(store, 1, strategy, opt).run();
    uploadRound(store, 2, true);
    aggregation(store, 2, strategy, opt).run();
    uploadRound(store, 3, false);
    assertThat(aggregation(store, 3, strategy, opt).run())
        .isEqualTo(RoundAggregation.Outcome.COMMITTED);
    for (String file : List.of(StorageLayout.ADAPTER_MODEL, StorageLayout.ADAPTER_CONFIG)) {
      assertThat(store.getBytes(layout.globalAdapterPrefix(3) + file))
          .isEqualTo(store.getBytes(layout.globalAdapterPrefix(2) + file));
      assertThat(store.getBytes(layout.rankAdapterPrefix(3, RANK) + file))
          .isEqualTo(store.getBytes(layout.rankAdapterPrefix(2, RANK) + file));
    }
  }

  /** Reads a manifest with the storage JSON mapper. */
  private static final class StorageJsonManifest {
    static RoundManifest read(ObjectStore store, String key) throws IOException {
      try (InputStream in = store.get(key)) {
        return dev.flotilla.core.storage.StorageJson.read(
            in.readAllBytes(), RoundManifest.class, key);
      }
    }
  }
}
