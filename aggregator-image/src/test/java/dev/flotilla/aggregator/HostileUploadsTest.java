package dev.flotilla.aggregator;

import static dev.flotilla.aggregator.RoundFixture.ALPHA;
import static dev.flotilla.aggregator.RoundFixture.ATTEMPT;
import static dev.flotilla.aggregator.RoundFixture.BASE_MODEL;
import static dev.flotilla.aggregator.RoundFixture.RANK;
import static dev.flotilla.aggregator.RoundFixture.ROUND;
import static dev.flotilla.aggregator.RoundFixture.adapter;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.aggregator.RoundFixture.AdapterFiles;
import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import dev.flotilla.core.adapter.PeftAdapterReader;
import dev.flotilla.core.adapter.PeftAdapterWriter;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.core.safetensors.DType;
import dev.flotilla.core.safetensors.SafetensorsWriter;
import dev.flotilla.core.storage.EmbeddedS3Server;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.RoundManifest;
import dev.flotilla.core.storage.RoundManifest.AcceptedClient;
import dev.flotilla.core.storage.S3ObjectStore;
import dev.flotilla.core.storage.Sha256;
import dev.flotilla.core.storage.StorageLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One hostile client among three honest ones, against a real S3 server (s3proxy): whatever it
 * uploads, the round commits with the honest clients and the hostile one is rejected with its
 * reason in the manifest. The hostile client's id sorts first, where the old screening took its
 * reference from.
 */
class HostileUploadsTest {
  private static final String BUCKET = "hostile";
  private static final String EVIL = "a-evil";
  private static final List<String> GOOD = List.of("b-good", "c-good", "d-good");
  private static final AtomicInteger FEDERATIONS = new AtomicInteger();

  private static EmbeddedS3Server server;
  private static S3ObjectStore store;

  @TempDir Path scratch;
  private RoundFixture round;

  @BeforeAll
  static void startS3() throws Exception {
    server = EmbeddedS3Server.startInMemory();
    store = S3ObjectStore.open(server.settings(BUCKET));
  }

  @AfterAll
  static void stopS3() throws Exception {
    store.close();
    server.close();
  }

  @BeforeEach
  void newFederation() {
    round = new RoundFixture(store, BUCKET, "fed-" + FEDERATIONS.incrementAndGet(), scratch);
  }

  /** What the hostile client uploads. */
  @FunctionalInterface
  interface Hostile {
    void upload(RoundFixture round, String client) throws IOException;
  }

  static Stream<Arguments> hostileUploads() {
    return Stream.of(
        hostile(
            "(a) another task_type",
            (r, c) -> r.upload(c, adapter(9, RANK, TaskType.CAUSAL_LM, BASE_MODEL, ALPHA)),
            "task_type"),
        hostile(
            "another base model",
            (r, c) -> r.upload(c, adapter(9, RANK, TaskType.SEQ_CLS, "evil/model", ALPHA)),
            "base_model_name_or_path"),
        hostile(
            "(e) metrics.json naming another client",
            (r, c) -> uploadWithMetrics(r, c, m -> m.put("clientId", "b-good")),
            "names client b-good"),
        hostile(
            "(e) metrics.json of another attempt",
            (r, c) -> uploadWithMetrics(r, c, m -> m.put("attempt", ATTEMPT + 1)),
            "attempt 2"),
        hostile(
            "(e) metrics.json of another round",
            (r, c) -> uploadWithMetrics(r, c, m -> m.put("round", ROUND + 1)),
            "round 3"),
        hostile(
            "hash of the weights differs",
            (r, c) ->
                uploadWithMetrics(r, c, m -> m.put("adapterModelSha256", Sha256.hex(new byte[1]))),
            "adapter_model.safetensors has SHA-256"),
        hostile(
            "hash of the config differs",
            (r, c) ->
                uploadWithMetrics(r, c, m -> m.put("adapterConfigSha256", Sha256.hex(new byte[1]))),
            "adapter_config.json has SHA-256"),
        hostile(
            "metrics.json without hashes (schema 1)",
            (r, c) ->
                uploadWithMetrics(
                    r,
                    c,
                    m -> {
                      m.put("schemaVersion", 1);
                      m.remove("adapterModelSha256");
                      m.remove("adapterConfigSha256");
                    }),
            "no adapter hashes"),
        hostile(
            "infinite trainLoss",
            (r, c) -> uploadWithMetrics(r, c, m -> m.put("trainLoss", Double.POSITIVE_INFINITY)),
            "trainLoss"),
        hostile(
            "malformed metrics.json",
            (r, c) -> {
              AdapterFiles files = r.files(adapter(9, RANK));
              r.upload(c, files.weights(), files.config(), null);
              r.store.put(
                  r.layout.clientMetrics(ROUND, c, 1),
                  "{not json".getBytes(StandardCharsets.UTF_8));
            },
            "metrics.json"),
        hostile(
            "zero numSamples",
            (r, c) -> uploadWithMetrics(r, c, m -> m.put("numSamples", 0)),
            "numSamples"),
        hostile(
            "truncated safetensors",
            (r, c) -> uploadWeights(r, c, w -> Arrays.copyOf(w, w.length - 10)),
            "adapter_model.safetensors"),
        hostile("empty safetensors", (r, c) -> uploadWeights(r, c, w -> new byte[0]), "bytes"),
        hostile(
            "header length bomb",
            (r, c) ->
                uploadWeights(
                    r,
                    c,
                    w ->
                        ByteBuffer.wrap(w.clone())
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .putLong(0, 1L << 40)
                            .array()),
            "header length"),
        hostile(
            "wrong dtype",
            (r, c) -> uploadWeights(r, c, w -> replaceFirst(w, "\"F32\"", "\"I32\"")),
            "dtype I32"),
        hostile(
            "NaN value",
            (r, c) -> uploadWeights(r, c, w -> withLastFloat(w, Float.NaN)),
            "non-finite value NaN"),
        hostile(
            "infinite value",
            (r, c) -> uploadWeights(r, c, w -> withLastFloat(w, Float.POSITIVE_INFINITY)),
            "non-finite value Infinity"),
        hostile(
            "wrong input features",
            (r, c) -> r.upload(c, adapter(9, RANK, RoundFixture.IN + 1)),
            "input features"),
        hostile(
            "extra module",
            (r, c) -> r.upload(c, withExtraModule(adapter(9, RANK))),
            "unexpected module"),
        hostile(
            "extra tensor outside modules_to_save",
            (r, c) -> uploadWithExtraTensor(r, c),
            "base_model.model.evil.weight"),
        hostile(
            "rank above the plan's",
            (r, c) -> {
              AdapterFiles files = r.files(adapter(9, 2 * RANK));
              r.upload(c, files.weights(), files.config(), RoundFixture.metrics(c, RANK, files));
            },
            "rank 8 upload for a rank-4 client"),
        hostile(
            "another lora_alpha",
            (r, c) -> r.upload(c, adapter(9, RANK, TaskType.SEQ_CLS, BASE_MODEL, 2 * ALPHA)),
            "lora_alpha 32.0"),
        hostile(
            "missing adapter_config.json",
            (r, c) -> {
              AdapterFiles files = r.files(adapter(9, RANK));
              r.upload(c, files.weights(), null, RoundFixture.metrics(c, RANK, files));
            },
            "adapter_config.json"),
        hostile(
            "missing adapter_model.safetensors",
            (r, c) -> {
              AdapterFiles files = r.files(adapter(9, RANK));
              r.upload(c, null, files.config(), RoundFixture.metrics(c, RANK, files));
            },
            "adapter_model.safetensors"),
        hostile(
            "oversized adapter_config.json",
            (r, c) ->
                uploadConfig(
                    r,
                    c,
                    json ->
                        json.replaceFirst("\\{", "{\"padding\": \"" + "x".repeat(100_000) + "\",")),
            "more than the cap of 65536 bytes"),
        hostile(
            "adapter_config.json that is not JSON",
            (r, c) -> uploadConfig(r, c, json -> "[[[[[[[[["),
            "adapter_config.json"));
  }

  private static Arguments hostile(String name, Hostile upload, String reason) {
    return Arguments.of(name, upload, reason);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileUploads")
  void theRoundCommitsWithTheHonestClientsAndRejectsTheHostileOne(
      String name, Hostile hostile, String reason) throws Exception {
    round.plan(List.of(EVIL, "b-good", "c-good", "d-good"));
    uploadHonest();
    hostile.upload(round, EVIL);

    assertThat(Aggregations.run(round, scratch)).isEqualTo(RoundAggregation.Outcome.COMMITTED);

    Map<String, String> rejections = round.rejections();
    assertThat(round.accepted()).containsExactlyElementsOf(GOOD);
    assertThat(rejections).containsOnlyKeys(EVIL);
    assertThat(rejections.get(EVIL)).contains(reason);
  }

  @Test
  void aTwoClientRoundTakesTheTaskTypeFromTheFederationNotTheFirstClient() throws Exception {
    round.plan(List.of(EVIL, "b-good"));
    round.upload(EVIL, adapter(9, RANK, TaskType.CAUSAL_LM, BASE_MODEL, ALPHA));
    round.upload("b-good", adapter(1, RANK));

    assertThat(Aggregations.run(round, scratch)).isEqualTo(RoundAggregation.Outcome.COMMITTED);

    assertThat(round.accepted()).containsExactly("b-good");
    assertThat(round.rejections().get(EVIL))
        .contains("task_type")
        .contains("CAUSAL_LM")
        .contains("SEQ_CLS");
  }

  @Test
  void aNullBaseModelIsAcceptedAndTheOutputsNameTheFederationsModel() throws Exception {
    round.plan(List.of(EVIL, "b-good", "c-good", "d-good"));
    uploadHonest();
    round.upload(EVIL, adapter(9, RANK, TaskType.SEQ_CLS, null, ALPHA));

    assertThat(Aggregations.run(round, scratch)).isEqualTo(RoundAggregation.Outcome.COMMITTED);

    assertThat(round.accepted()).containsExactly(EVIL, "b-good", "c-good", "d-good");
    String global = round.layout.globalAdapterPrefix(ROUND);
    LoraAdapter published = read(global);
    assertThat(published.baseModel()).isEqualTo(BASE_MODEL);
    assertThat(published.taskType()).isEqualTo(TaskType.SEQ_CLS);
  }

  @Test
  void inflatedSampleCountsAreCappedAndTheManifestRecordsTheWeights() throws Exception {
    round.plan(List.of(EVIL, "b-good", "c-good", "d-good"));
    uploadHonest();
    uploadWithMetrics(round, EVIL, m -> m.put("numSamples", Long.MAX_VALUE));

    assertThat(Aggregations.run(round, scratch)).isEqualTo(RoundAggregation.Outcome.COMMITTED);

    RoundManifest manifest = round.manifest();
    Map<String, AcceptedClient> accepted = new LinkedHashMap<>();
    manifest.accepted().forEach(a -> accepted.put(a.clientId(), a));
    assertThat(accepted).containsOnlyKeys(EVIL, "b-good", "c-good", "d-good");
    AcceptedClient evil = accepted.get(EVIL);
    assertThat(evil.numSamples()).isEqualTo(Long.MAX_VALUE);
    assertThat(evil.countedSamples()).isEqualTo(SampleCap.MEDIAN_FACTOR * 100);
    assertThat(evil.weight()).isEqualTo(400.0 / 700, within());
    assertThat(accepted.get("b-good").countedSamples()).isEqualTo(100);
    assertThat(accepted.get("b-good").weight()).isEqualTo(100.0 / 700, within());
    assertThat(manifest.meanTrainLoss()).isEqualTo(0.5, within());
  }

  @Test
  void aWeightsFileAboveTheCapIsRejectedWithoutReadingIt() throws Exception {
    round.plan(List.of(EVIL, "b-good", "c-good", "d-good"));
    uploadHonest();
    round.upload(EVIL, adapter(9, RANK, 2000));
    UploadLimits limits =
        new UploadLimits(
            UploadLimits.METRICS_BYTES,
            UploadLimits.CONFIG_BYTES,
            UploadLimits.HEADER_BYTES,
            20_000);

    assertThat(Aggregations.run(round, store, scratch, limits))
        .isEqualTo(RoundAggregation.Outcome.COMMITTED);

    assertThat(round.accepted()).containsExactlyElementsOf(GOOD);
    assertThat(round.rejections().get(EVIL))
        .startsWith("adapter_model.safetensors is ")
        .endsWith("bytes, more than the cap of 20000 bytes");
    assertThat(UploadLimits.forHeap(256L << 20).weightsBytes()).isEqualTo(64L << 20);
  }

  @Test
  void twoClientsWithByteIdenticalAdaptersCountOnce() throws Exception {
    round.plan(List.of("b-good", "c-good", "d-good", "z-copy"));
    uploadHonest();
    copyOfC(round, "z-copy");

    assertThat(Aggregations.run(round, scratch)).isEqualTo(RoundAggregation.Outcome.COMMITTED);

    assertThat(round.accepted()).containsExactlyElementsOf(GOOD);
    assertThat(round.rejections()).containsExactly(Map.entry("z-copy", "duplicate of c-good"));
  }

  @Test
  void aCopySortingFirstIsKeptAndTheOriginalCountsNoMore() throws Exception {
    round.plan(List.of(EVIL, "b-good", "c-good", "d-good"));
    uploadHonest();
    copyOfC(round, EVIL);

    assertThat(Aggregations.run(round, scratch)).isEqualTo(RoundAggregation.Outcome.COMMITTED);

    // The first by id is kept, so here the original goes: either way the update counts once.
    assertThat(round.accepted()).containsExactly(EVIL, "b-good", "d-good");
    assertThat(round.rejections()).containsExactly(Map.entry("c-good", "duplicate of " + EVIL));
  }

  @Test
  void anUnexpectedErrorReadingOneUploadRejectsOnlyThatClient() throws Exception {
    round.plan(List.of(EVIL, "b-good", "c-good", "d-good"));
    uploadHonest();
    round.upload(EVIL, adapter(9, RANK));
    String poisoned =
        round.layout.clientAdapterPrefix(ROUND, EVIL, 1) + StorageLayout.ADAPTER_MODEL;
    ObjectStore failing = new FailingStore(store, poisoned);

    assertThat(Aggregations.run(round, failing, scratch))
        .isEqualTo(RoundAggregation.Outcome.COMMITTED);

    assertThat(round.accepted()).containsExactlyElementsOf(GOOD);
    assertThat(round.rejections().get(EVIL))
        .contains("unexpected error")
        .contains("IllegalStateException: poisoned");
  }

  @Test
  void theManifestRecordsTheHashesOfWhatWasAggregatedAndProduced() throws Exception {
    round.plan(List.of("b-good", "c-good", "d-good"));
    uploadHonest();

    assertThat(Aggregations.run(round, scratch)).isEqualTo(RoundAggregation.Outcome.COMMITTED);

    RoundManifest manifest = round.manifest();
    StorageLayout layout = round.layout;
    for (AcceptedClient client : manifest.accepted()) {
      String prefix = layout.clientAdapterPrefix(ROUND, client.clientId(), 1);
      assertThat(client.adapterModelSha256())
          .isEqualTo(Sha256.hex(store.getBytes(prefix + StorageLayout.ADAPTER_MODEL)));
      assertThat(client.adapterConfigSha256())
          .isEqualTo(Sha256.hex(store.getBytes(prefix + StorageLayout.ADAPTER_CONFIG)));
    }
    List<String> produced =
        Stream.of(layout.globalAdapterPrefix(ROUND), layout.rankAdapterPrefix(ROUND, RANK))
            .flatMap(
                p -> Stream.of(p + StorageLayout.ADAPTER_MODEL, p + StorageLayout.ADAPTER_CONFIG))
            .toList();
    assertThat(manifest.outputSha256()).containsOnlyKeys(produced);
    for (String key : produced) {
      assertThat(manifest.outputSha256().get(key))
          .as(key)
          .isEqualTo(Sha256.hex(store.getBytes(key)));
    }
  }

  private void uploadHonest() throws IOException {
    for (int i = 0; i < GOOD.size(); i++) {
      round.upload(GOOD.get(i), adapter(i + 1, RANK));
    }
  }

  private static void copyOfC(RoundFixture r, String client) throws IOException {
    String honest = r.layout.clientAdapterPrefix(ROUND, "c-good", 1);
    byte[] weights = r.store.getBytes(honest + StorageLayout.ADAPTER_MODEL);
    byte[] config = r.store.getBytes(honest + StorageLayout.ADAPTER_CONFIG);
    r.upload(
        client,
        weights,
        config,
        RoundFixture.metrics(client, RANK, new AdapterFiles(weights, config)));
  }

  private static void uploadWithMetrics(RoundFixture r, String client, Consumer<ObjectNode> edit)
      throws IOException {
    AdapterFiles files = r.files(adapter(9, RANK));
    ObjectNode metrics = RoundFixture.metrics(client, RANK, files);
    edit.accept(metrics);
    r.upload(client, files.weights(), files.config(), metrics);
  }

  /** Honest metrics (hashes of what is uploaded) over edited weights. */
  private static void uploadWeights(RoundFixture r, String client, UnaryOperator<byte[]> edit)
      throws IOException {
    AdapterFiles honest = r.files(adapter(9, RANK));
    AdapterFiles files = new AdapterFiles(edit.apply(honest.weights()), honest.config());
    r.upload(client, files.weights(), files.config(), RoundFixture.metrics(client, RANK, files));
  }

  private static void uploadConfig(RoundFixture r, String client, UnaryOperator<String> edit)
      throws IOException {
    AdapterFiles honest = r.files(adapter(9, RANK));
    byte[] config =
        edit.apply(new String(honest.config(), StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8);
    AdapterFiles files = new AdapterFiles(honest.weights(), config);
    r.upload(client, files.weights(), files.config(), RoundFixture.metrics(client, RANK, files));
  }

  private static void uploadWithExtraTensor(RoundFixture r, String client) throws IOException {
    LoraAdapter honest = adapter(9, RANK);
    Map<String, FloatTensor> tensors = new LinkedHashMap<>(PeftAdapterWriter.stateDict(honest));
    tensors.put("base_model.model.evil.weight", new FloatTensor(new int[] {2}, new float[2]));
    ByteArrayOutputStream weights = new ByteArrayOutputStream();
    SafetensorsWriter.write(weights, tensors, Map.of(), DType.F32, "evil");
    AdapterFiles files = new AdapterFiles(weights.toByteArray(), r.files(honest).config());
    r.upload(client, files.weights(), files.config(), RoundFixture.metrics(client, RANK, files));
  }

  private static LoraAdapter withExtraModule(LoraAdapter adapter) {
    Map<String, LoraModule> modules = new LinkedHashMap<>(adapter.modules());
    LoraModule query = adapter.modules().get("layer.0.query");
    modules.put("layer.1.query", new LoraModule("layer.1.query", query.a(), query.b()));
    return adapter.withWeights(modules, adapter.extraTensors());
  }

  private static byte[] replaceFirst(byte[] bytes, String from, String to) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    return text.replaceFirst(Pattern.quote(from), to).getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] withLastFloat(byte[] weights, float value) {
    byte[] copy = weights.clone();
    ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putFloat(copy.length - 4, value);
    return copy;
  }

  private LoraAdapter read(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(scratch, "published");
    for (String file : List.of(StorageLayout.ADAPTER_CONFIG, StorageLayout.ADAPTER_MODEL)) {
      store.getToFile(prefix + file, dir.resolve(file));
    }
    return PeftAdapterReader.read(dir);
  }

  private static Offset<Double> within() {
    return Offset.offset(1e-12);
  }
}
