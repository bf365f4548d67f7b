package dev.flotilla.core.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import dev.flotilla.core.aggregation.SyntheticClients.Spectrum;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** FlexLoRA's factored server step against the same step computed on dense d × k matrices. */
class FlexLoraServerStepTest {
  private static final String NAME = "layer.0.q";
  private static final double ALPHA = 16;
  private static final int D = 24;
  private static final int K = 18;
  private static final int[] RANKS = {2, 4, 2};
  private static final long[] SAMPLES = {10, 20, 30};

  private final DenseKernels kernels = new JavaKernels();

  private static List<ClientUpdate> clients(long seed) {
    List<LoraModule> modules = SyntheticClients.module(NAME, D, K, RANKS, Spectrum.FLAT, seed);
    List<ClientUpdate> out = new ArrayList<>();
    for (int c = 0; c < modules.size(); c++) {
      out.add(
          new ClientUpdate(
              "c" + c,
              SAMPLES[c],
              SyntheticClients.adapter(Map.of(NAME, modules.get(c)), ALPHA, Map.of())));
    }
    return out;
  }

  /** Σ p_c (α/r_c) B_c A_c, densely. */
  private static DMatrixRMaj dense(List<ClientUpdate> updates) {
    double total = 0;
    for (long n : SAMPLES) {
      total += n;
    }
    double[] weights = new double[SAMPLES.length];
    for (int c = 0; c < weights.length; c++) {
      weights[c] = SAMPLES[c] / total;
    }
    return DenseReference.update(
        updates.stream().map(u -> u.adapter().modules().get(NAME)).toList(),
        weights,
        new double[] {ALPHA, ALPHA, ALPHA});
  }

  private static DMatrixRMaj product(LoraAdapter adapter) {
    LoraModule m = adapter.modules().get(NAME);
    return DenseReference.product(m, ALPHA / m.rank());
  }

  private static DMatrixRMaj combine(double x, DMatrixRMaj a, double y, DMatrixRMaj b) {
    DMatrixRMaj out = new DMatrixRMaj(a.numRows, a.numCols);
    CommonOps_DDRM.add(x, a, y, b, out);
    return out;
  }

  private static double relative(DMatrixRMaj actual, DMatrixRMaj expected) {
    return DenseReference.distance(actual, expected)
        / DenseReference.distance(expected, new DMatrixRMaj(expected.numRows, expected.numCols));
  }

  private static AggregationConfig config(int globalRank, ServerOptimizerConfig opt) {
    return new AggregationConfig(
        AggregationStrategyType.FLEXLORA,
        globalRank,
        Weighting.SAMPLES,
        ALPHA,
        new TreeSet<>(List.of(2, 4)),
        3,
        opt);
  }

  private static ServerOptimizerConfig sgd(double eta, double momentum, int budget) {
    return new ServerOptimizerConfig(
        ServerOptimizerType.SGD, eta, momentum, 0.9, 0.99, 1e-3, budget);
  }

  /** A previous global adapter: plain FlexLoRA of other clients at rank 16. */
  private LoraAdapter previous() {
    return new FlexLoraStrategy(kernels)
        .aggregate(clients(99), config(16, ServerOptimizerConfig.NONE))
        .global();
  }

  @Test
  void serverLearningRateIsExactBeforeTruncation() {
    LoraAdapter prev = previous();
    List<ClientUpdate> updates = clients(1);
    AggregationResult result =
        new FlexLoraStrategy(kernels)
            .aggregate(
                updates,
                config(16, sgd(0.5, 0, 0)),
                new ServerHistory(Optional.of(prev), OptimizerState.EMPTY));
    // (1 − η)·W_prev + η·ΔW has rank ≤ 8 + 8 ≤ 16: the rank-16 global adapter is exact
    DMatrixRMaj expected = combine(0.5, product(prev), 0.5, dense(updates));
    assertThat(relative(product(result.global()), expected)).isLessThan(1e-5);
  }

  @Test
  void serverLearningRateTruncatesLikePlainFlexLora() {
    LoraAdapter prev = previous();
    List<ClientUpdate> updates = clients(1);
    AggregationResult result =
        new FlexLoraStrategy(kernels)
            .aggregate(
                updates,
                config(4, sgd(0.3, 0, 0)),
                new ServerHistory(Optional.of(prev), OptimizerState.EMPTY));
    DMatrixRMaj target = combine(0.7, product(prev), 0.3, dense(updates));
    DenseReference.Svd svd = DenseReference.svd(target, kernels);
    double ours = DenseReference.distance(target, product(result.global()));
    assertThat(ours / svd.tail(4)).isLessThanOrEqualTo(1 + 1e-3);
  }

  @Test
  void momentumWithinItsRankBudgetMatchesTheDenseRecursion() throws Exception {
    ServerOptimizerConfig opt = sgd(0.8, 0.9, 48);
    LoraAdapter x0 = previous();
    List<ClientUpdate> first = clients(1);
    List<ClientUpdate> second = clients(2);
    FlexLoraStrategy flex = new FlexLoraStrategy(kernels);
    AggregationResult r1 =
        flex.aggregate(
            first, config(32, opt), new ServerHistory(Optional.of(x0), OptimizerState.EMPTY));
    OptimizerState s1 = OptimizerState.fromBytes(r1.state().toBytes(), "state");
    AggregationResult r2 =
        flex.aggregate(second, config(32, opt), new ServerHistory(Optional.of(r1.global()), s1));

    DMatrixRMaj m1 = combine(1, dense(first), -1, product(x0));
    DMatrixRMaj w1 = combine(1, product(x0), 0.8, m1);
    assertThat(relative(product(r1.global()), w1)).isLessThan(1e-5);
    // round 2 starts from the committed adapter, as the next aggregator does; W2 has rank ≤ 24
    // (span of x0, both rounds' clients), within the global rank 32 and the budget 48
    DMatrixRMaj m2 = combine(0.9, m1, 1, combine(1, dense(second), -1, product(r1.global())));
    DMatrixRMaj w2 = combine(1, product(r1.global()), 0.8, m2);
    assertThat(relative(product(r2.global()), w2)).isLessThan(1e-4);
    assertThat(Double.parseDouble(r2.state().metadata().get("momentum_relative_error." + NAME)))
        .isLessThan(1e-6);
  }

  @Test
  void aTruncatedMomentumIsCertified() {
    AggregationResult result =
        new FlexLoraStrategy(kernels)
            .aggregate(
                clients(1),
                config(4, sgd(1, 0.9, 3)),
                new ServerHistory(Optional.of(previous()), OptimizerState.EMPTY));
    double error =
        Double.parseDouble(result.state().metadata().get("momentum_relative_error." + NAME));
    double bound =
        Double.parseDouble(result.state().metadata().get("momentum_optimality_bound." + NAME));
    assertThat(error).isGreaterThan(0).isLessThan(1);
    assertThat(bound).isGreaterThanOrEqualTo(1).isLessThanOrEqualTo(1 + 1e-3);
    assertThat(result.state().tensors().get("m:" + NAME + ".up").shape()).containsExactly(D, 3);
  }

  @Test
  void adaptiveOptimizersAreRefusedWithFlexLora() {
    ServerOptimizerConfig adam = ServerOptimizerConfig.defaults(ServerOptimizerType.ADAM);
    assertThatThrownBy(() -> new FlexLoraStrategy(kernels).aggregate(clients(1), config(4, adam)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use serverOptimizer sgd");
  }
}
