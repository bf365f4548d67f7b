package dev.flotilla.core.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AggregationInputsTest {
  private static ClientUpdate client(String id, long n, String module, int d) {
    LoraModule m =
        new LoraModule(
            module, new FloatTensor(new int[] {1, 2}, new float[2]), FloatTensor.zeros(d, 1));
    return new ClientUpdate(id, n, SyntheticClients.adapter(Map.of(module, m), 8, Map.of()));
  }

  private static final AggregationConfig FLEX =
      new AggregationConfig(
          AggregationStrategyType.FLEXLORA, 1, Weighting.SAMPLES, 8, new TreeSet<>());

  @Test
  void strategyNamesParseCaseInsensitively() {
    assertThat(AggregationStrategyType.forName("FlexLoRA"))
        .isEqualTo(AggregationStrategyType.FLEXLORA);
    assertThat(AggregationStrategyType.forName(" het-lora "))
        .isEqualTo(AggregationStrategyType.HETLORA);
    assertThat(AggregationStrategyType.forName("fedavg")).isEqualTo(AggregationStrategyType.FEDAVG);
    assertThatThrownBy(() -> AggregationStrategyType.forName("svd"))
        .hasMessageContaining("'svd'")
        .hasMessageContaining("flexlora, hetlora, fedavg");
    assertThat(Weighting.forName("Uniform")).isEqualTo(Weighting.UNIFORM);
    assertThat(AggregationStrategy.forType(AggregationStrategyType.HETLORA, DenseKernels.auto()))
        .isInstanceOf(HetLoraStrategy.class);
  }

  @Test
  void inconsistentClientsAreRejectedNamingClientAndModule() {
    FlexLoraStrategy flex = new FlexLoraStrategy(DenseKernels.auto());
    assertThatThrownBy(() -> flex.aggregate(List.of(), FLEX)).hasMessageContaining("no client");
    assertThatThrownBy(
            () -> flex.aggregate(List.of(client("a", 1, "q", 3), client("b", 1, "v", 3)), FLEX))
        .hasMessageContaining("client b")
        .hasMessageContaining("[v]");
    assertThatThrownBy(
            () -> flex.aggregate(List.of(client("a", 1, "q", 3), client("b", 1, "q", 4)), FLEX))
        .hasMessageContaining("client b: module q is 4x2");
    assertThatThrownBy(
            () -> flex.aggregate(List.of(client("a", 1, "q", 3), client("a", 1, "q", 3)), FLEX))
        .hasMessageContaining("duplicate client id a");
    assertThatThrownBy(
            () -> flex.aggregate(List.of(client("a", 0, "q", 3), client("b", 0, "q", 3)), FLEX))
        .hasMessageContaining("weighting=uniform");
  }

  @Test
  void adaptersWithoutABaseModelNameAggregate() {
    ClientUpdate a = client("a", 1, "q", 3);
    ClientUpdate b = client("b", 1, "q", 3);
    List<ClientUpdate> unnamed =
        List.of(a, b).stream()
            .map(
                u ->
                    new ClientUpdate(
                        u.clientId(),
                        u.numSamples(),
                        new LoraAdapter(
                            null,
                            u.adapter().taskType(),
                            u.adapter().alpha(),
                            u.adapter().dropout(),
                            u.adapter().targetModules(),
                            u.adapter().modules(),
                            u.adapter().modulesToSave(),
                            u.adapter().extraTensors())))
            .toList();

    AggregationResult result = new FlexLoraStrategy(DenseKernels.auto()).aggregate(unnamed, FLEX);

    assertThat(result.global().baseModel()).isNull();
    assertThatThrownBy(
            () ->
                new FlexLoraStrategy(DenseKernels.auto())
                    .aggregate(List.of(unnamed.get(0), b), FLEX))
        .hasMessageContaining("client b: base model test/base differs from null");
  }

  @Test
  void configValidatesFields() {
    assertThatThrownBy(
            () ->
                new AggregationConfig(
                    AggregationStrategyType.FLEXLORA, 0, Weighting.SAMPLES, 8, new TreeSet<>()))
        .hasMessageContaining("globalRank");
    assertThatThrownBy(
            () ->
                new AggregationConfig(
                    AggregationStrategyType.FLEXLORA,
                    4,
                    Weighting.SAMPLES,
                    Double.NaN,
                    new TreeSet<>()))
        .hasMessageContaining("alpha");
    assertThatThrownBy(() -> new ClientUpdate("c", -1, null)).hasMessageContaining("numSamples");
    assertThat(
            new AggregationConfig(
                    AggregationStrategyType.FLEXLORA,
                    8,
                    Weighting.SAMPLES,
                    8,
                    new TreeSet<>(List.of(16, 4)))
                .targetRanks())
        .containsExactly(4, 8, 16);
  }
}
