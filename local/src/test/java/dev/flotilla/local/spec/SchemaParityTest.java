package dev.flotilla.local.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.spec.SpecValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table per kind of hostile and boundary inputs, each run through the CRD schema with its CEL
 * rules (as the API server and {@code ./flotilla validate} apply them) and through {@link
 * SpecValidator} (the operator's check before any I/O): both must give the same verdict, and a
 * refusal must name the field and the limit on both sides. Every case is decided within a second
 * (no expansion of a count, no CEL cost blow-up).
 */
class SchemaParityTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LONG_NAME = "f" + "x".repeat(62);
  private static ObjectNode federation;
  private static ObjectNode pool;
  private static final SchemaValidator VALIDATOR = new SchemaValidator();
  private static CrdCatalog catalog;

  @BeforeAll
  static void load() throws Exception {
    List<JsonNode> docs =
        YAML.readerFor(JsonNode.class)
            .<JsonNode>readValues(
                Files.readString(Path.of("../examples/quickstart/federation.yaml")))
            .readAll();
    federation = (ObjectNode) docs.get(0);
    pool = (ObjectNode) docs.get(1);
    ((ObjectNode) federation.at("/spec/baseModel")).put("uri", "s3://models/minilm");
    ((ObjectNode) federation.at("/spec/evaluation")).put("dataUri", "s3://data/test.jsonl");
    catalog = CrdCatalog.bundled();
    // Compiles every CEL rule once, so the per-case time bound measures evaluation only.
    for (ObjectNode valid : List.of(federation, pool)) {
      JsonNode schema =
          catalog
              .schema(valid.get("apiVersion").asText(), valid.get("kind").asText())
              .orElseThrow();
      assertThat(VALIDATOR.validate(valid.deepCopy(), schema)).isEmpty();
    }
  }

  /** A case: a change to the valid object, and the field (and limit) named when refused. */
  record Case(String name, Consumer<ObjectNode> change, String field, String limit) {
    boolean refused() {
      return field != null;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Case refuse(String name, String field, String limit, Consumer<ObjectNode> change) {
    return new Case(name, change, field, limit);
  }

  static Case accept(String name, Consumer<ObjectNode> change) {
    return new Case(name, change, null, null);
  }

  static ObjectNode at(ObjectNode root, String pointer) {
    return (ObjectNode) root.at(pointer);
  }

  static Stream<Arguments> federationCases() {
    return Stream.of(
            refuse(
                "rounds 2147483647",
                "spec.rounds",
                "10000",
                f -> at(f, "/spec").put("rounds", Integer.MAX_VALUE)),
            accept("rounds 10000", f -> at(f, "/spec").put("rounds", 10_000)),
            refuse(
                "one million sampled clients",
                "spec.sampling.clientsPerRound",
                "10000",
                f -> at(f, "/spec/sampling").put("clientsPerRound", 1_000_000)),
            refuse(
                "minClients 2147483647",
                "spec.sampling",
                null,
                f -> at(f, "/spec/sampling").put("minClients", Integer.MAX_VALUE)),
            refuse(
                "roundTimeout 2562047788016h (wraps a long of nanoseconds)",
                "spec.roundTimeout",
                "168h",
                f -> at(f, "/spec").put("roundTimeout", "2562047788016h")),
            refuse(
                "roundTimeout 169h",
                "spec.roundTimeout",
                "168h",
                f -> at(f, "/spec").put("roundTimeout", "169h")),
            refuse(
                "roundTimeout 500ms",
                "spec.roundTimeout",
                "1s",
                f -> at(f, "/spec").put("roundTimeout", "500ms")),
            refuse(
                "roundTimeout of 40 characters",
                "spec.roundTimeout",
                "32",
                f -> at(f, "/spec").put("roundTimeout", "1m".repeat(20))),
            accept("roundTimeout 168h", f -> at(f, "/spec").put("roundTimeout", "168h")),
            accept("roundTimeout 1h30m", f -> at(f, "/spec").put("roundTimeout", "1h30m")),
            refuse(
                "name of 64 characters",
                "metadata.name",
                "63",
                f -> at(f, "/metadata").put("name", LONG_NAME + "y")),
            refuse(
                "name of 253 characters",
                "metadata.name",
                "63",
                f -> at(f, "/metadata").put("name", "f" + "x".repeat(252))),
            accept("name of 63 characters", f -> at(f, "/metadata").put("name", LONG_NAME)),
            refuse(
                "globalRank 2147483647",
                "spec.aggregation.globalRank",
                "1024",
                f -> at(f, "/spec/aggregation").put("globalRank", Integer.MAX_VALUE)),
            refuse(
                "numLabels 2147483647",
                "spec.task.numLabels",
                "10000",
                f -> at(f, "/spec/task").put("numLabels", Integer.MAX_VALUE)),
            refuse(
                "epochs 2147483647",
                "spec.training.epochs",
                "1000",
                f -> at(f, "/spec/training").put("epochs", Integer.MAX_VALUE)),
            refuse(
                "batchSize 2147483647",
                "spec.training.batchSize",
                "4096",
                f -> at(f, "/spec/training").put("batchSize", Integer.MAX_VALUE)),
            refuse(
                "maxSeqLength 2147483647",
                "spec.training.maxSeqLength",
                "32768",
                f -> at(f, "/spec/training").put("maxSeqLength", Integer.MAX_VALUE)),
            refuse(
                "learningRate 1e300",
                "spec.training.learningRate",
                "1",
                f -> at(f, "/spec/training").put("learningRate", 1e300)),
            refuse(
                "alpha 1e300",
                "spec.lora.alpha",
                "100000",
                f -> at(f, "/spec/lora").put("alpha", 1e300)),
            refuse(
                "65 target modules",
                "spec.lora.targetModules",
                "64",
                f -> fill(at(f, "/spec/lora").putArray("targetModules"), 65, i -> "m" + i)),
            refuse(
                "a target module of 254 characters",
                "spec.lora.targetModules",
                "253",
                f -> at(f, "/spec/lora").putArray("targetModules").add("q".repeat(254))),
            refuse(
                "maxRoundRetries 2147483647",
                "spec.failurePolicy.maxRoundRetries",
                "100",
                f ->
                    f.with("spec").with("failurePolicy").put("maxRoundRetries", Integer.MAX_VALUE)),
            refuse(
                "maxFailedRounds 2147483647",
                "spec.failurePolicy.maxFailedRounds",
                "10000",
                f ->
                    f.with("spec").with("failurePolicy").put("maxFailedRounds", Integer.MAX_VALUE)),
            refuse(
                "prefix with ..",
                "spec.storage.prefix",
                null,
                f -> at(f, "/spec/storage").put("prefix", "runs/../other-tenant")),
            refuse(
                "prefix .",
                "spec.storage.prefix",
                null,
                f -> at(f, "/spec/storage").put("prefix", ".")),
            accept(
                "prefix with dots inside", f -> at(f, "/spec/storage").put("prefix", "a/v1.2/.x")),
            refuse(
                "prefix of 300 characters",
                "spec.storage.prefix",
                "256",
                f -> at(f, "/spec/storage").put("prefix", "p".repeat(300))),
            refuse(
                "endpoint of 600 characters",
                "spec.storage.endpoint",
                "512",
                f -> at(f, "/spec/storage").put("endpoint", "http://" + "e".repeat(600))),
            refuse(
                "region with a slash",
                "spec.storage.region",
                null,
                f -> at(f, "/spec/storage").put("region", "us/../east")),
            refuse(
                "secret key with a slash",
                "spec.storage.secretRef.accessKeyKey",
                null,
                f ->
                    at(f, "/spec/storage")
                        .putObject("secretRef")
                        .put("name", "s3")
                        .put("accessKeyKey", "../token")),
            refuse(
                "pvc:// base model",
                "spec.baseModel.uri",
                null,
                f -> at(f, "/spec/baseModel").put("uri", "pvc://models/minilm")),
            accept("file: base model", f -> at(f, "/spec/baseModel").put("uri", "file:model")),
            refuse(
                "tokenizer with an unknown scheme",
                "spec.baseModel.tokenizer",
                null,
                f -> at(f, "/spec/baseModel").put("tokenizer", "http://evil/tokenizer.json")),
            refuse(
                "base model URI of 2000 characters",
                "spec.baseModel.uri",
                "1100",
                f -> at(f, "/spec/baseModel").put("uri", "s3://b/" + "k".repeat(2000))),
            refuse(
                "33 pool names",
                "spec.clientPools.names",
                "32",
                f -> {
                  ObjectNode pools = at(f, "/spec/clientPools");
                  pools.remove("matchLabels");
                  fill(pools.putArray("names"), 33, i -> "pool-" + i);
                }),
            refuse(
                "33 matchLabels",
                "spec.clientPools.matchLabels",
                "32",
                f -> {
                  ObjectNode labels = at(f, "/spec/clientPools").putObject("matchLabels");
                  for (int i = 0; i < 33; i++) {
                    labels.put("k" + i, "v");
                  }
                }),
            refuse(
                "a matchLabels value of 64 characters",
                "spec.clientPools.matchLabels",
                "63",
                f -> at(f, "/spec/clientPools").putObject("matchLabels").put("k", "v".repeat(64))),
            refuse(
                "an image of 600 characters",
                "spec.images.trainer",
                "512",
                f -> f.with("spec").with("images").put("trainer", "r/" + "i".repeat(600))))
        .map(Arguments::of);
  }

  static Stream<Arguments> poolCases() {
    return Stream.of(
            refuse(
                "clients.count 2147483647",
                "spec.clients.count",
                "10000",
                p -> counted(p).put("count", Integer.MAX_VALUE)),
            accept("clients.count 10000", p -> counted(p).put("count", 10_000)),
            refuse(
                "1001 listed clients",
                "spec.clients.list",
                "1000",
                p -> {
                  ArrayNode list = at(p, "/spec/clients").putArray("list");
                  for (int i = 0; i < 1001; i++) {
                    list.addObject().put("id", "c" + i).put("dataUri", "s3://d/c" + i);
                  }
                }),
            refuse(
                "rank 2147483647",
                "spec.rank",
                "1024",
                p -> at(p, "/spec").put("rank", Integer.MAX_VALUE)),
            refuse(
                "client rank 2147483647",
                "spec.clients.list[0].rank",
                "1024",
                p -> at(p, "/spec/clients/list/0").put("rank", Integer.MAX_VALUE)),
            refuse(
                "pvc:// data",
                "spec.clients.list[0].dataUri",
                null,
                p -> at(p, "/spec/clients/list/0").put("dataUri", "pvc://claim/data.jsonl")),
            accept(
                "absolute path data",
                p -> at(p, "/spec/clients/list/0").put("dataUri", "/data/imdb.jsonl")),
            refuse(
                "idPrefix of 41 characters",
                "spec.clients.idPrefix",
                "40",
                p -> counted(p).put("count", 2).put("idPrefix", "p".repeat(41))),
            refuse(
                "33 nodeSelector entries",
                "spec.nodeSelector",
                "32",
                p -> {
                  ObjectNode selector = at(p, "/spec").putObject("nodeSelector");
                  for (int i = 0; i < 33; i++) {
                    selector.put("k" + i, "v");
                  }
                }),
            refuse(
                "a nodeSelector value of 64 characters",
                "spec.nodeSelector",
                "63",
                p -> at(p, "/spec").putObject("nodeSelector").put("zone", "z".repeat(64))),
            refuse(
                "65 env variables",
                "spec.env",
                "64",
                p -> {
                  ArrayNode env = at(p, "/spec").putArray("env");
                  for (int i = 0; i < 65; i++) {
                    env.addObject().put("name", "V" + i).put("value", "x");
                  }
                }),
            refuse(
                "an env value of 5000 characters",
                "spec.env[0].value",
                "4096",
                p ->
                    at(p, "/spec")
                        .putArray("env")
                        .addObject()
                        .put("name", "V")
                        .put("value", "x".repeat(5000))),
            refuse(
                "33 tolerations",
                "spec.tolerations",
                "32",
                p -> {
                  ArrayNode tolerations = at(p, "/spec").putArray("tolerations");
                  for (int i = 0; i < 33; i++) {
                    tolerations.addObject().put("operator", "Exists");
                  }
                }),
            refuse(
                "tolerationSeconds of a century",
                "spec.tolerations[0].tolerationSeconds",
                "31536000",
                p ->
                    at(p, "/spec")
                        .putArray("tolerations")
                        .addObject()
                        .put("operator", "Exists")
                        .put("effect", "NoExecute")
                        .put("tolerationSeconds", 3_153_600_000L)),
            refuse(
                "33 resource requests",
                "spec.resources.requests",
                "32",
                p -> {
                  ObjectNode requests = at(p, "/spec").putObject("resources").putObject("requests");
                  for (int i = 0; i < 33; i++) {
                    requests.put("example.com/r" + i, "1");
                  }
                }),
            refuse(
                "a serviceAccountName of 254 characters",
                "spec.serviceAccountName",
                "253",
                p -> at(p, "/spec").put("serviceAccountName", "s".repeat(254))),
            refuse(
                "a priorityClassName with a space",
                "spec.priorityClassName",
                null,
                p -> at(p, "/spec").put("priorityClassName", "system node critical")),
            refuse(
                "a data endpoint of 600 characters",
                "spec.dataStorage.endpoint",
                "512",
                p ->
                    at(p, "/spec")
                        .putObject("dataStorage")
                        .put("endpoint", "http://" + "e".repeat(600))
                        .putObject("secretRef")
                        .put("name", "data")))
        .map(Arguments::of);
  }

  private static ObjectNode counted(ObjectNode pool) {
    ObjectNode clients = at(pool, "/spec").putObject("clients");
    return clients.put("dataUriTemplate", "s3://data/client-{index}.jsonl");
  }

  private static void fill(ArrayNode array, int n, java.util.function.IntFunction<String> item) {
    for (int i = 0; i < n; i++) {
      array.add(item.apply(i));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("federationCases")
  void federationVerdictsAgree(Case c) throws Exception {
    ObjectNode object = federation.deepCopy();
    c.change().accept(object);
    List<String> schema = schemaErrors(object);
    List<String> java = new ArrayList<>();
    java.addAll(SpecValidator.validateFederationName(object.at("/metadata/name").asText()));
    java.addAll(SpecValidator.validate(JSON.treeToValue(object.get("spec"), FederationSpec.class)));
    assertSameVerdict(c, schema, java);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("poolCases")
  void poolVerdictsAgree(Case c) throws Exception {
    ObjectNode object = pool.deepCopy();
    c.change().accept(object);
    List<String> schema = schemaErrors(object);
    List<String> java =
        SpecValidator.validate(JSON.treeToValue(object.get("spec"), ClientPoolSpec.class));
    assertSameVerdict(c, schema, java);
  }

  private static List<String> schemaErrors(ObjectNode object) {
    JsonNode schema =
        catalog
            .schema(object.get("apiVersion").asText(), object.get("kind").asText())
            .orElseThrow();
    long start = System.nanoTime();
    List<String> errors = VALIDATOR.validate(object, schema);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    return errors;
  }

  private static void assertSameVerdict(Case c, List<String> schema, List<String> java) {
    if (!c.refused()) {
      assertThat(schema).as("schema + CEL").isEmpty();
      assertThat(java).as("SpecValidator").isEmpty();
      return;
    }
    assertThat(schema)
        .as("schema + CEL refuses, naming " + c.field())
        .anyMatch(e -> e.contains(c.field()));
    assertThat(java)
        .as("SpecValidator refuses, naming " + c.field())
        .anyMatch(e -> e.contains(c.field()));
    if (c.limit() != null) {
      assertThat(schema)
          .as("schema + CEL names the limit " + c.limit())
          .anyMatch(e -> e.contains(c.field()) && e.contains(c.limit()));
      assertThat(java)
          .as("SpecValidator names the limit " + c.limit())
          .anyMatch(e -> e.contains(c.field()) && e.contains(c.limit()));
    }
  }
}
