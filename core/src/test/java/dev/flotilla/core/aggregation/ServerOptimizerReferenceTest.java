package dev.flotilla.core.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every server optimizer on FedAvg against values computed independently with numpy ({@code
 * server-optimizer/generate.py}): three rounds, the state passed between rounds through its stored
 * bytes as the aggregator passes it.
 */
class ServerOptimizerReferenceTest {
  private static final String NAME = "layer.0.q";
  private static final String HEAD = "classifier.weight";

  private static JsonNode reference() throws Exception {
    try (InputStream in =
        ServerOptimizerReferenceTest.class.getResourceAsStream(
            "/server-optimizer/reference.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  private static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }

  private static LoraAdapter adapter(JsonNode x, int d, int k, int r, double alpha) {
    LoraModule m =
        new LoraModule(
            NAME,
            new FloatTensor(new int[] {r, k}, floats(x.get("A"))),
            new FloatTensor(new int[] {d, r}, floats(x.get("B"))));
    float[] head = floats(x.get("head"));
    return SyntheticClients.adapter(
        Map.of(NAME, m), alpha, Map.of(HEAD, new FloatTensor(new int[] {head.length}, head)));
  }

  private static ServerOptimizerConfig config(JsonNode o) {
    ServerOptimizerType type = ServerOptimizerType.forName(o.get("type").asText());
    return new ServerOptimizerConfig(
        type,
        o.get("lr").asDouble(),
        o.path("momentum").asDouble(0),
        o.path("beta1").asDouble(ServerOptimizerConfig.BETA1),
        o.path("beta2").asDouble(ServerOptimizerConfig.BETA2),
        o.path("tau").asDouble(ServerOptimizerConfig.TAU),
        0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sgd-lr0.5", "sgd-momentum", "adam", "yogi", "adagrad"})
  void fedAvgStepsMatchNumpy(String optimizer) throws Exception {
    JsonNode ref = reference();
    int d = ref.get("d").asInt();
    int k = ref.get("k").asInt();
    int r = ref.get("rank").asInt();
    double alpha = ref.get("alpha").asDouble();
    AggregationConfig config =
        new AggregationConfig(
            AggregationStrategyType.FEDAVG,
            r,
            Weighting.SAMPLES,
            alpha,
            new TreeSet<>(List.of(r)),
            7,
            config(ref.get("optimizers").get(optimizer)));
    LoraAdapter previous = adapter(ref.get("start"), d, k, r, alpha);
    OptimizerState state = OptimizerState.EMPTY;
    for (int t = 0; t < 3; t++) {
      List<ClientUpdate> updates = new ArrayList<>();
      JsonNode clients = ref.get("rounds").get(t);
      for (int c = 0; c < clients.size(); c++) {
        updates.add(
            new ClientUpdate(
                "c" + c,
                ref.get("samples").get(c).asLong(),
                adapter(clients.get(c), d, k, r, alpha)));
      }
      AggregationResult result =
          new FedAvgStrategy()
              .aggregate(updates, config, new ServerHistory(Optional.of(previous), state));
      JsonNode expected = ref.get("expected").get(optimizer).get(t);
      LoraModule m = result.global().modules().get(NAME);
      assertClose(m.a().data(), expected.get("A"), optimizer + " round " + t + " A");
      assertClose(m.b().data(), expected.get("B"), optimizer + " round " + t + " B");
      assertClose(
          result.global().extraTensors().get(HEAD).data(),
          expected.get("head"),
          optimizer + " round " + t + " head");
      previous = result.global();
      state = OptimizerState.fromBytes(result.state().toBytes(), "state");
    }
  }

  private static void assertClose(float[] actual, JsonNode expected, String what) {
    assertThat(actual).as(what).hasSize(expected.size());
    for (int i = 0; i < actual.length; i++) {
      assertThat((double) actual[i])
          .as(what + "[" + i + "]")
          .isCloseTo(expected.get(i).asDouble(), within(2e-5));
    }
  }
}
