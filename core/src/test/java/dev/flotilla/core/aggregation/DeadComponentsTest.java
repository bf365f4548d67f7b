package dev.flotilla.core.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Output adapters never hold a component that can no longer train (issue 17, dead components). */
class DeadComponentsTest {
  private static final String NAME = "layer.0.q";
  private static final int D = 12;
  private static final int K = 10;

  private static List<ClientUpdate> twoRankTwoClients(boolean zeroB) {
    List<LoraModule> modules =
        SyntheticClients.module(NAME, D, K, new int[] {2, 2}, SyntheticClients.Spectrum.FLAT, 5);
    List<ClientUpdate> updates = new ArrayList<>();
    for (int c = 0; c < modules.size(); c++) {
      LoraModule m = modules.get(c);
      if (zeroB) {
        m = new LoraModule(NAME, m.a(), dev.flotilla.core.adapter.FloatTensor.zeros(D, 2));
      }
      updates.add(
          new ClientUpdate(
              "c" + c, 10 + c, SyntheticClients.adapter(Map.of(NAME, m), 16, Map.of())));
    }
    return updates;
  }

  private static AggregationConfig config(AggregationStrategyType type) {
    return new AggregationConfig(
        type,
        8,
        Weighting.SAMPLES,
        16,
        new TreeSet<>(List.of(2, 8, 16)),
        1234,
        ServerOptimizerConfig.NONE);
  }

  private static List<LoraAdapter> outputs(AggregationResult result) {
    List<LoraAdapter> all = new ArrayList<>(result.byClientRank().values());
    all.add(result.global());
    return all;
  }

  private static void assertNoDeadComponent(AggregationResult result) {
    for (LoraAdapter adapter : outputs(result)) {
      for (LoraModule m : adapter.modules().values()) {
        assertThat(FreshComponents.hasDeadComponent(m))
            .as("rank %d module %s has an all-zero A row and B column", m.rank(), m.name())
            .isFalse();
      }
    }
  }

  @Test
  void flexLoraPadsRankEightAndSixteenWithTrainableComponentsKeepingTheProduct() {
    List<ClientUpdate> updates = twoRankTwoClients(false);
    AggregationResult result =
        new FlexLoraStrategy(new JavaKernels())
            .aggregate(updates, config(AggregationStrategyType.FLEXLORA));
    assertNoDeadComponent(result);
    // ΔW has rank 4 ≤ 8: the rank-16 adapter's product is ΔW itself, padding included
    double[] weights = {10 / 21.0, 11 / 21.0};
    DMatrixRMaj expected =
        DenseReference.update(
            updates.stream().map(u -> u.adapter().modules().get(NAME)).toList(),
            weights,
            new double[] {16, 16});
    LoraModule sixteen = result.byClientRank().get(16).modules().get(NAME);
    DMatrixRMaj actual = DenseReference.product(sixteen, 16.0 / 16);
    assertThat(DenseReference.distance(actual, expected))
        .isLessThan(1e-5 * DenseReference.distance(expected, new DMatrixRMaj(D, K)));
  }

  @Test
  void hetLoraPadsBeyondTheLargestClientRankWithTrainableComponents() {
    AggregationResult result =
        new HetLoraStrategy()
            .aggregate(twoRankTwoClients(false), config(AggregationStrategyType.HETLORA));
    assertNoDeadComponent(result);
    LoraModule eight = result.global().modules().get(NAME);
    for (int row = 0; row < D; row++) {
      for (int j = 2; j < 8; j++) {
        assertThat(eight.b().get(row, j)).isZero();
      }
    }
  }

  @Test
  void aRoundWhereNoClientTrainedLeavesFreshTrainableComponentsNotZeros() {
    AggregationResult result =
        new FlexLoraStrategy(new JavaKernels())
            .aggregate(twoRankTwoClients(true), config(AggregationStrategyType.FLEXLORA));
    assertNoDeadComponent(result);
  }

  @Test
  void freshRowsDependOnlyOnTheSeedModuleAndComponent() {
    AggregationConfig config = config(AggregationStrategyType.HETLORA);
    AggregationResult first = new HetLoraStrategy().aggregate(twoRankTwoClients(false), config);
    AggregationResult second = new HetLoraStrategy().aggregate(twoRankTwoClients(false), config);
    assertThat(second.byClientRank()).isEqualTo(first.byClientRank());
    LoraModule eight = first.global().modules().get(NAME);
    LoraModule sixteen = first.byClientRank().get(16).modules().get(NAME);
    for (int j = 0; j < 8; j++) {
      for (int col = 0; col < K; col++) {
        assertThat(sixteen.a().get(j, col)).isEqualTo(eight.a().get(j, col));
      }
    }
    AggregationConfig other =
        new AggregationConfig(
            AggregationStrategyType.HETLORA,
            8,
            Weighting.SAMPLES,
            16,
            new TreeSet<>(List.of(2, 8, 16)),
            1235,
            ServerOptimizerConfig.NONE);
    assertThat(
            new HetLoraStrategy()
                .aggregate(twoRankTwoClients(false), other)
                .global()
                .modules()
                .get(NAME)
                .a())
        .isNotEqualTo(eight.a());
  }
}
