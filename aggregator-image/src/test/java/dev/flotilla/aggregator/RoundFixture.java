package dev.flotilla.aggregator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import dev.flotilla.core.adapter.PeftAdapterWriter;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.core.storage.ClientMetrics;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.RoundManifest;
import dev.flotilla.core.storage.RoundPlan;
import dev.flotilla.core.storage.RoundPlan.PlannedClient;
import dev.flotilla.core.storage.RoundStore;
import dev.flotilla.core.storage.Sha256;
import dev.flotilla.core.storage.StorageJson;
import dev.flotilla.core.storage.StorageLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One round of a federation in an object store, written the way trainers write it: a plan, and per
 * client the adapter files and then {@code metrics.json} carrying their SHA-256. Tests replace any
 * of the three objects with hostile bytes.
 */
final class RoundFixture {
  static final int ROUND = 2;
  static final int ATTEMPT = 1;
  static final double ALPHA = 16;
  static final int RANK = 4;
  static final int GLOBAL_RANK = 8;
  static final String BASE_MODEL = "s3://models/tiny-bert";
  static final TaskType TASK = TaskType.SEQ_CLS;
  static final List<String> MODULES = List.of("layer.0.query", "layer.0.value");
  static final int IN = 20;
  static final int OUT = 12;

  final ObjectStore store;
  final StorageLayout layout;
  private final Path scratch;

  RoundFixture(ObjectStore store, String bucket, String federation, Path scratch) {
    this.store = store;
    this.layout = new StorageLayout(bucket, "flotilla", federation);
    this.scratch = scratch;
  }

  /** Writes the round plan: every client at {@code ranks}' rank, base round 1. */
  void plan(Map<String, Integer> ranks) throws IOException {
    List<PlannedClient> clients = new ArrayList<>();
    ranks.forEach(
        (id, rank) -> clients.add(new PlannedClient(id, "pool", rank, "/data/" + id, null)));
    new RoundStore(store, layout)
        .writePlan(
            new RoundPlan(
                RoundPlan.SCHEMA_VERSION,
                layout.federation(),
                ROUND,
                ATTEMPT,
                1,
                GLOBAL_RANK,
                clients));
  }

  /** Plans {@code clients}, all at {@link #RANK}. */
  void plan(List<String> clients) throws IOException {
    Map<String, Integer> ranks = new LinkedHashMap<>();
    clients.forEach(c -> ranks.put(c, RANK));
    plan(ranks);
  }

  /** A small honest adapter: two 12×20 modules and a 2×12 classification head. */
  static LoraAdapter adapter(long seed, int rank) {
    return adapter(seed, rank, TASK, BASE_MODEL, ALPHA);
  }

  /** The small adapter with {@code in} input features per module. */
  static LoraAdapter adapter(long seed, int rank, int in) {
    return adapter(seed, rank, TASK, BASE_MODEL, ALPHA, in);
  }

  static LoraAdapter adapter(long seed, int rank, TaskType task, String baseModel, double alpha) {
    return adapter(seed, rank, task, baseModel, alpha, IN);
  }

  private static LoraAdapter adapter(
      long seed, int rank, TaskType task, String baseModel, double alpha, int in) {
    Random random = new Random(seed);
    Map<String, LoraModule> modules = new LinkedHashMap<>();
    for (String name : MODULES) {
      modules.put(
          name,
          new LoraModule(name, gaussian(random, rank, in, 0.1), gaussian(random, OUT, rank, 0.1)));
    }
    return new LoraAdapter(
        baseModel,
        task,
        alpha,
        0.0,
        List.of("query", "value"),
        modules,
        List.of("classifier"),
        Map.of("classifier.weight", gaussian(random, 2, OUT, 0.1)));
  }

  private static FloatTensor gaussian(Random random, int rows, int cols, double scale) {
    float[] data = new float[rows * cols];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (random.nextGaussian() * scale);
    }
    return new FloatTensor(new int[] {rows, cols}, data);
  }

  /** The PEFT files of {@code adapter}: weights, then config. */
  AdapterFiles files(LoraAdapter adapter) {
    try {
      Path dir = Files.createTempDirectory(scratch, "adapter");
      PeftAdapterWriter.write(adapter, dir);
      return new AdapterFiles(
          Files.readAllBytes(dir.resolve(StorageLayout.ADAPTER_MODEL)),
          Files.readAllBytes(dir.resolve(StorageLayout.ADAPTER_CONFIG)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The two files of an adapter upload. */
  record AdapterFiles(byte[] weights, byte[] config) {}

  /** An honest upload of {@code adapter} by {@code client}. */
  void upload(String client, LoraAdapter adapter) throws IOException {
    AdapterFiles files = files(adapter);
    upload(client, files.weights(), files.config(), metrics(client, RANK, files));
  }

  /** Uploads these objects in the trainer's order (metrics last); a null object is not written. */
  void upload(String client, byte[] weights, byte[] config, ObjectNode metrics) throws IOException {
    String prefix = layout.clientAdapterPrefix(ROUND, client, 1);
    if (weights != null) {
      store.put(prefix + StorageLayout.ADAPTER_MODEL, weights);
    }
    if (config != null) {
      store.put(prefix + StorageLayout.ADAPTER_CONFIG, config);
    }
    if (metrics != null) {
      store.put(prefix + StorageLayout.METRICS, StorageJson.write(metrics));
    }
  }

  /** The honest {@code metrics.json} of {@code client} for these files, as an editable tree. */
  static ObjectNode metrics(String client, int rank, AdapterFiles files) {
    ClientMetrics metrics =
        new ClientMetrics(
            ClientMetrics.SCHEMA_VERSION,
            client,
            ROUND,
            ATTEMPT,
            rank,
            100,
            10,
            0.5,
            Map.of("accuracy", 0.75),
            1.0,
            1,
            Sha256.hex(files.weights()),
            Sha256.hex(files.config()));
    return StorageJson.mapper().valueToTree(metrics);
  }

  /** The committed manifest of the round. */
  RoundManifest manifest() throws IOException {
    return new RoundStore(store, layout).readManifest(ROUND).orElseThrow();
  }

  /** Client id → rejection reason in the manifest. */
  Map<String, String> rejections() throws IOException {
    Map<String, String> reasons = new LinkedHashMap<>();
    manifest().rejected().forEach(r -> reasons.put(r.clientId(), r.reason()));
    return reasons;
  }

  /** Ids of the accepted clients in the manifest. */
  List<String> accepted() throws IOException {
    return manifest().accepted().stream().map(RoundManifest.AcceptedClient::clientId).toList();
  }
}
