package dev.flotilla.core.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.adapter.LoraModule;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class FactorAverageStrategiesTest {
  private static final String NAME = "layer.0.q";

  private static LoraModule module(int rank, float[] a, float[] b) {
    return new LoraModule(
        NAME, new FloatTensor(new int[] {rank, 2}, a), new FloatTensor(new int[] {2, rank}, b));
  }

  private static ClientUpdate client(String id, long n, double alpha, LoraModule m) {
    return new ClientUpdate(
        id,
        n,
        SyntheticClients.adapter(
            Map.of(NAME, m),
            alpha,
            Map.of("classifier.weight", new FloatTensor(new int[] {1}, new float[] {n}))));
  }

  private static AggregationConfig config(AggregationStrategyType type, int global, Integer... r) {
    return new AggregationConfig(type, global, Weighting.SAMPLES, 16, new TreeSet<>(List.of(r)));
  }

  @Test
  void fedAvgAveragesFactorsSeparately() {
    List<ClientUpdate> updates =
        List.of(
            client("a", 1, 16, module(1, new float[] {1, 2}, new float[] {1, 0})),
            client("b", 3, 16, module(1, new float[] {3, 4}, new float[] {0, 2})));
    AggregationResult result =
        new FedAvgStrategy().aggregate(updates, config(AggregationStrategyType.FEDAVG, 1, 1));
    LoraModule m = result.global().modules().get(NAME);
    assertThat(m.a().data()).containsExactly(2.5f, 3.5f);
    assertThat(m.b().data()).containsExactly(0.25f, 1.5f);
    assertThat(result.byClientRank().get(1).modules().get(NAME)).isEqualTo(m);
    assertThat(result.global().extraTensors().get("classifier.weight").data())
        .containsExactly(2.5f);
    assertThat(result.modules().get(NAME).path()).isEqualTo(SolverPath.FACTOR_AVERAGE);
  }

  @Test
  void fedAvgFoldsTheClientAlphaIntoB() {
    List<ClientUpdate> updates =
        List.of(client("a", 1, 32, module(1, new float[] {1, 2}, new float[] {1, 0})));
    AggregationResult result =
        new FedAvgStrategy().aggregate(updates, config(AggregationStrategyType.FEDAVG, 1));
    assertThat(result.global().modules().get(NAME).b().data()).containsExactly(2f, 0f);
    assertThat(result.global().alpha()).isEqualTo(16);
  }

  @Test
  void fedAvgRejectsMixedRanksNamingModuleAndClients() {
    List<ClientUpdate> updates =
        List.of(
            client("a", 1, 16, module(1, new float[] {1, 2}, new float[] {1, 0})),
            client("b", 3, 16, module(2, new float[] {3, 4, 5, 6}, new float[] {0, 1, 2, 3})));
    assertThatThrownBy(
            () ->
                new FedAvgStrategy().aggregate(updates, config(AggregationStrategyType.FEDAVG, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("module " + NAME)
        .hasMessageContaining("client b")
        .hasMessageContaining("client a")
        .hasMessageContaining("hetlora or flexlora");
  }

  @Test
  void hetLoraPadsAveragesAndTruncatesPerRank() {
    List<ClientUpdate> updates =
        List.of(
            client("a", 1, 16, module(1, new float[] {1, 2}, new float[] {1, 0})),
            client("b", 3, 16, module(2, new float[] {3, 4, 5, 6}, new float[] {0, 1, 2, 3})));
    AggregationResult result =
        new HetLoraStrategy().aggregate(updates, config(AggregationStrategyType.HETLORA, 2, 1, 3));
    LoraModule global = result.global().modules().get(NAME);
    assertThat(global.a().data()).containsExactly(2.5f, 3.5f, 3.75f, 4.5f);
    assertThat(global.b().data()).containsExactly(0.25f, 0.75f, 1.5f, 2.25f);
    LoraModule one = result.byClientRank().get(1).modules().get(NAME);
    assertThat(one.a().data()).containsExactly(2.5f, 3.5f);
    assertThat(one.b().data()).containsExactly(0.25f, 1.5f);
    LoraModule three = result.byClientRank().get(3).modules().get(NAME);
    // the padding component keeps B = 0 (same product) and gets a fresh A row (trainable)
    assertThat(three.a().data()).startsWith(2.5f, 3.5f, 3.75f, 4.5f);
    assertThat(three.a().get(2, 0) != 0 || three.a().get(2, 1) != 0).isTrue();
    assertThat(three.b().data()).containsExactly(0.25f, 0.75f, 0f, 1.5f, 2.25f, 0f);
  }

  @Test
  void uniformWeightingIgnoresSampleCounts() {
    List<ClientUpdate> updates =
        List.of(
            client("a", 1, 16, module(1, new float[] {1, 2}, new float[] {1, 0})),
            client("b", 3, 16, module(1, new float[] {3, 4}, new float[] {0, 2})));
    AggregationConfig cfg =
        new AggregationConfig(
            AggregationStrategyType.FEDAVG, 1, Weighting.UNIFORM, 16, new TreeSet<>());
    AggregationResult result = new FedAvgStrategy().aggregate(updates, cfg);
    assertThat(result.weights()).containsEntry("a", 0.5).containsEntry("b", 0.5);
    assertThat(result.global().modules().get(NAME).a().data()).containsExactly(2f, 3f);
  }
}
