package dev.flotilla.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import dev.flotilla.core.adapter.PeftAdapterWriter;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.core.aggregation.AggregationStrategyType;
import dev.flotilla.core.aggregation.DenseKernels;
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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundAggregationTest {
  private static final int ROUND = 2;
  private static final double ALPHA = 16;
  private static final List<String> MODULES = List.of("layer.0.query", "layer.0.value");

  @TempDir Path scratch;

  private final StorageLayout layout = new StorageLayout("bucket", "flotilla", "fed");

  /** Records the order of writes and can fail the n-th one, like a crashing aggregator. */
  private static final class RecordingStore extends ForwardingObjectStore {
    final List<String> puts = new ArrayList<>();
    int failAtPut = -1;

    RecordingStore() {
      super(new InMemoryObjectStore());
    }

    private void record(String key) throws IOException {
      if (puts.size() == failAtPut) {
        failAtPut = -1;
        throw new IOException("simulated crash before writing " + key);
      }
      puts.add(key);
    }

    @Override
    public void put(String key, byte[] bytes) throws IOException {
      record(key);
      super.put(key, bytes);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] bytes) throws IOException {
      record(key);
      return super.putIfAbsent(key, bytes);
    }

    @Override
    public void put(String key, Path file) throws IOException {
      record(key);
      super.put(key, file);
    }

    @Override
    public void put(String key, InputStream in, long length) throws IOException {
      record(key);
      super.put(key, in, length);
    }
  }

  private static FloatTensor gaussian(Random random, int rows, int cols, double scale) {
    float[] data = new float[rows * cols];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (random.nextGaussian() * scale);
    }
    return new FloatTensor(new int[] {rows, cols}, data);
  }

  private static LoraAdapter adapter(long seed, int rank, int in, double scaleB) {
    Random random = new Random(seed);
    Map<String, LoraModule> modules = new LinkedHashMap<>();
    for (String name : MODULES) {
      modules.put(
          name,
          new LoraModule(
              name, gaussian(random, rank, in, 0.1), gaussian(random, 12, rank, scaleB)));
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

  private void upload(ObjectStore store, String client, int rank, LoraAdapter adapter)
      throws IOException {
    upload(store, client, rank, adapter, 1);
  }

  private void upload(ObjectStore store, String client, int rank, LoraAdapter adapter, int attempt)
      throws IOException {
    Path dir = Files.createTempDirectory(scratch, client);
    PeftAdapterWriter.write(adapter, dir);
    String prefix = layout.clientAdapterPrefix(ROUND, client, attempt);
    store.put(prefix + StorageLayout.ADAPTER_MODEL, dir.resolve(StorageLayout.ADAPTER_MODEL));
    store.put(prefix + StorageLayout.ADAPTER_CONFIG, dir.resolve(StorageLayout.ADAPTER_CONFIG));
    metrics(store, client, rank, attempt);
  }

  private void metrics(ObjectStore store, String client, int rank) throws IOException {
    metrics(store, client, rank, 1);
  }

  /** Writes the client's metrics.json with the hashes of its files as they are now. */
  private void metrics(ObjectStore store, String client, int rank, int attempt) throws IOException {
    String prefix = layout.clientAdapterPrefix(ROUND, client, attempt);
    new RoundStore(store, layout)
        .writeClientMetrics(
            new ClientMetrics(
                ClientMetrics.SCHEMA_VERSION,
                client,
                ROUND,
                attempt,
                rank,
                100,
                10,
                0.5,
                Map.of(),
                1.0,
                1,
                Sha256.hex(store.getBytes(prefix + StorageLayout.ADAPTER_MODEL)),
                Sha256.hex(store.getBytes(prefix + StorageLayout.ADAPTER_CONFIG))));
  }

  private void plan(ObjectStore store, Map<String, Integer> ranks) throws IOException {
    List<PlannedClient> clients = new ArrayList<>();
    ranks.forEach(
        (id, rank) -> clients.add(new PlannedClient(id, "pool", rank, "/data/" + id, null)));
    new RoundStore(store, layout)
        .writePlan(new RoundPlan(RoundPlan.SCHEMA_VERSION, "fed", ROUND, 1, 1, 8, clients));
  }

  private RoundAggregation aggregation(ObjectStore store, int minClients) {
    return aggregation(store, minClients, Set.of());
  }

  private RoundAggregation aggregation(ObjectStore store, int minClients, Set<String> clients) {
    RoundAggregation.Settings settings =
        new RoundAggregation.Settings(
            ROUND,
            1,
            clients,
            AggregationStrategyType.FLEXLORA,
            8,
            Weighting.SAMPLES,
            ALPHA,
            new TreeSet<>(List.of(4, 8)),
            minClients,
            10,
            0,
            42);
    return new RoundAggregation(
        store,
        layout,
        scratch.resolve("work"),
        Optional.empty(),
        settings,
        new UploadChecks(1, ALPHA, TaskType.SEQ_CLS, "tiny-bert"),
        DenseKernels.auto());
  }

  /**
   * A retried round keeps the clients that succeeded in an earlier attempt: each upload is read
   * from its own attempt's keys and checked against that attempt, and a straggler of attempt 1
   * writing late cannot touch the attempt-2 upload of the same client.
   */
  @Test
  void aRetriedRoundAggregatesEachClientsUploadOfItsOwnAttempt() throws Exception {
    InMemoryObjectStore store = new InMemoryObjectStore();
    plan(store, Map.of("a", 4, "b", 4, "c", 4));
    upload(store, "a", 4, adapter(1, 4, 20, 0.1), 1);
    upload(store, "b", 4, adapter(2, 4, 20, 0.1), 2);
    upload(store, "c", 4, adapter(3, 4, 20, 0.1), 2);
    // c's attempt-1 trainer, a straggler, finished after its retry: another upload, other keys.
    upload(store, "c", 4, adapter(4, 4, 20, 0.1), 1);
    RoundAggregation.Settings settings =
        new RoundAggregation.Settings(
            ROUND,
            2,
            Set.of("a", "b", "c"),
            AggregationStrategyType.FLEXLORA,
            8,
            Weighting.SAMPLES,
            ALPHA,
            new TreeSet<>(List.of(4, 8)),
            3,
            10,
            0,
            42);
    RoundAggregation aggregation =
        new RoundAggregation(
            store,
            layout,
            scratch.resolve("work"),
            Optional.empty(),
            settings,
            new UploadChecks(
                2, ALPHA, TaskType.SEQ_CLS, "tiny-bert", Map.of("a", 1, "b", 2, "c", 2)),
            DenseKernels.auto());

    assertThat(aggregation.run()).isEqualTo(RoundAggregation.Outcome.COMMITTED);
    RoundManifest manifest = new RoundStore(store, layout).readManifest(ROUND).orElseThrow();
    assertThat(manifest.accepted())
        .extracting(RoundManifest.AcceptedClient::clientId)
        .containsExactly("a", "b", "c");
    assertThat(manifest.rejected()).isEmpty();
    String attempt2 = layout.clientAdapterPrefix(ROUND, "c", 2) + StorageLayout.ADAPTER_MODEL;
    assertThat(manifest.accepted())
        .filteredOn(c -> c.clientId().equals("c"))
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.adapterModelSha256()).isEqualTo(Sha256.hex(store.getBytes(attempt2))));
  }

  /** Three good clients and one of each kind of bad upload. */
  private void populate(ObjectStore store) throws IOException {
    Map<String, Integer> ranks = new LinkedHashMap<>();
    for (String c :
        List.of(
            "a-good",
            "b-good",
            "c-good",
            "d-corrupt",
            "e-rank",
            "f-nan",
            "g-outlier",
            "h-missing")) {
      ranks.put(c, c.equals("b-good") ? 8 : 4);
    }
    plan(store, ranks);
    upload(store, "a-good", 4, adapter(1, 4, 20, 0.1));
    upload(store, "b-good", 8, adapter(2, 8, 20, 0.1));
    upload(store, "c-good", 4, adapter(3, 4, 20, 0.1));
    upload(store, "d-corrupt", 4, adapter(4, 4, 20, 0.1));
    String corrupt =
        layout.clientAdapterPrefix(ROUND, "d-corrupt", 1) + StorageLayout.ADAPTER_MODEL;
    store.put(corrupt, "definitely not safetensors".getBytes(StandardCharsets.UTF_8));
    metrics(store, "d-corrupt", 4);
    upload(store, "e-rank", 4, adapter(5, 8, 20, 0.1));
    upload(store, "f-nan", 4, adapter(6, 4, 20, 0.1));
    String nanKey = layout.clientAdapterPrefix(ROUND, "f-nan", 1) + StorageLayout.ADAPTER_MODEL;
    byte[] weights = store.getBytes(nanKey);
    ByteBuffer.wrap(weights).order(ByteOrder.LITTLE_ENDIAN).putFloat(weights.length - 4, Float.NaN);
    store.put(nanKey, weights);
    metrics(store, "f-nan", 4);
    upload(store, "g-outlier", 4, adapter(7, 4, 20, 100));
  }

  @Test
  void rejectsEachBadUploadForItsOwnClientAndCommitsTheRest() throws Exception {
    RecordingStore store = new RecordingStore();
    populate(store);
    store.puts.clear();
    assertThat(aggregation(store, 3).run()).isEqualTo(RoundAggregation.Outcome.COMMITTED);

    RoundManifest manifest = new RoundStore(store, layout).readManifest(ROUND).orElseThrow();
    assertThat(manifest.accepted())
        .extracting(RoundManifest.AcceptedClient::clientId)
        .containsExactly("a-good", "b-good", "c-good");
    assertThat(manifest.accepted()).extracting(a -> a.weight()).containsOnly(1.0 / 3);
    Map<String, String> reasons = new LinkedHashMap<>();
    manifest.rejected().forEach(r -> reasons.put(r.clientId(), r.reason()));
    assertThat(reasons).containsOnlyKeys("d-corrupt", "e-rank", "f-nan", "g-outlier");
    assertThat(reasons.get("e-rank")).contains("rank 8 upload for a rank-4 client");
    assertThat(reasons.get("f-nan")).containsIgnoringCase("nan");
    assertThat(reasons.get("g-outlier")).contains("the median").contains("limit 10.0x");
    assertThat(manifest.failed())
        .extracting(RoundManifest.FailedClient::clientId)
        .containsExactly("h-missing");
    assertThat(manifest.rankAdapterPrefixes()).containsOnlyKeys(4, 8);
    assertThat(store.puts.get(store.puts.size() - 1)).isEqualTo(layout.manifestKey(ROUND));
    assertThat(store.puts)
        .contains(
            layout.globalAdapterPrefix(ROUND) + StorageLayout.ADAPTER_MODEL,
            layout.rankAdapterPrefix(ROUND, 4) + StorageLayout.ADAPTER_CONFIG);
  }

  @Test
  void comparesUpdateNormsWithoutTheRankScalingSoAnHonestLowRankClientIsAccepted()
      throws Exception {
    InMemoryObjectStore store = new InMemoryObjectStore();
    Map<String, Integer> ranks = new LinkedHashMap<>();
    List.of("a-r16", "b-r16", "c-r16").forEach(c -> ranks.put(c, 16));
    ranks.put("d-r1-honest", 1);
    ranks.put("e-r1-outlier", 1);
    plan(store, ranks);
    upload(store, "a-r16", 16, adapter(1, 16, 20, 0.1));
    upload(store, "b-r16", 16, adapter(2, 16, 20, 0.1));
    upload(store, "c-r16", 16, adapter(3, 16, 20, 0.1));
    // same ‖B·A‖ as the rank-16 clients (B 4× larger on 1/16 of the components), so α/r = 16
    // makes its ‖ΔW‖ about 16× theirs
    upload(store, "d-r1-honest", 1, adapter(4, 1, 20, 0.4));
    upload(store, "e-r1-outlier", 1, adapter(5, 1, 20, 40));
    assertThat(aggregation(store, 4).run()).isEqualTo(RoundAggregation.Outcome.COMMITTED);

    RoundManifest manifest = new RoundStore(store, layout).readManifest(ROUND).orElseThrow();
    assertThat(manifest.accepted())
        .extracting(RoundManifest.AcceptedClient::clientId)
        .containsExactly("a-r16", "b-r16", "c-r16", "d-r1-honest");
    assertThat(manifest.rejected())
        .extracting(RoundManifest.RejectedClient::clientId)
        .containsExactly("e-r1-outlier");
  }

  @Test
  void listsEverySampledClientWithoutACompleteUploadAsFailedWhenGivenClients() throws Exception {
    RecordingStore store = new RecordingStore();
    populate(store);
    Set<String> succeeded = Set.of("a-good", "b-good", "c-good", "e-rank", "h-missing");
    assertThat(aggregation(store, 3, succeeded).run())
        .isEqualTo(RoundAggregation.Outcome.COMMITTED);

    RoundManifest manifest = new RoundStore(store, layout).readManifest(ROUND).orElseThrow();
    assertThat(manifest.accepted())
        .extracting(RoundManifest.AcceptedClient::clientId)
        .containsExactly("a-good", "b-good", "c-good");
    assertThat(manifest.rejected())
        .extracting(RoundManifest.RejectedClient::clientId)
        .containsExactly("e-rank");
    assertThat(manifest.failed())
        .extracting(RoundManifest.FailedClient::clientId, RoundManifest.FailedClient::reason)
        .containsExactly(
            tuple("d-corrupt", RoundAggregation.UNSUCCESSFUL_TRAINER),
            tuple("f-nan", RoundAggregation.UNSUCCESSFUL_TRAINER),
            tuple("g-outlier", RoundAggregation.UNSUCCESSFUL_TRAINER),
            tuple("h-missing", RoundAggregation.NO_COMPLETE_UPLOAD));
  }

  @Test
  void failsBelowQuorumWithoutCommitting() throws Exception {
    RecordingStore store = new RecordingStore();
    populate(store);
    assertThatThrownBy(() -> aggregation(store, 4).run())
        .isInstanceOf(QuorumNotMetException.class)
        .hasMessageContaining("3 acceptable uploads, quorum is 4")
        .hasMessageContaining("e-rank: rank 8 upload");
    assertThat(store.exists(layout.manifestKey(ROUND))).isFalse();
  }

  @Test
  void rerunAfterACrashGivesTheSameAdaptersAndAnIdempotentCommit() throws Exception {
    RecordingStore reference = new RecordingStore();
    populate(reference);
    aggregation(reference, 1).run();

    RecordingStore crashing = new RecordingStore();
    populate(crashing);
    crashing.puts.clear();
    crashing.failAtPut = 3;
    assertThatThrownBy(() -> aggregation(crashing, 1).run()).isInstanceOf(IOException.class);
    assertThat(crashing.exists(layout.manifestKey(ROUND))).isFalse();
    assertThat(aggregation(crashing, 1).run()).isEqualTo(RoundAggregation.Outcome.COMMITTED);

    for (String key : reference.list(layout.roundPrefix(ROUND))) {
      if (!key.endsWith(StorageLayout.MANIFEST)) {
        assertThat(crashing.getBytes(key)).as(key).isEqualTo(reference.getBytes(key));
      }
    }
    crashing.puts.clear();
    assertThat(aggregation(crashing, 1).run())
        .isEqualTo(RoundAggregation.Outcome.ALREADY_COMMITTED);
    assertThat(crashing.puts).isEmpty();
  }
}
