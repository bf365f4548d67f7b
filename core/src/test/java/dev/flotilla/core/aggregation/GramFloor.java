package dev.flotilla.core.aggregation;

import java.util.List;

/**
 * Times what every Gram-based FlexLoRA solver must do before any eigen-decomposition: concatenate
 * the clients' factors and form G_A and G_B for every module, modules in parallel as {@link
 * FlexLoraStrategy} runs them. Benchmark support, not a test.
 */
public final class GramFloor {
  private GramFloor() {}

  /**
   * Wall seconds of the concatenation and both Gram matrices of every module of a round, on {@code
   * kernels}.
   */
  public static double seconds(
      List<ClientUpdate> updates, AggregationConfig config, DenseKernels kernels) {
    RoundInputs in = RoundInputs.of(updates, config);
    long start = System.nanoTime();
    in.moduleNames().parallelStream()
        .forEach(
            name -> {
              try (FactoredUpdate formed = FactoredUpdate.of(in, name, kernels)) {
                // forming it is the measured work
              }
            });
    return (System.nanoTime() - start) / 1e9;
  }

  /** Floating-point operations of the two Gram matrices of a d × k module: R²·(d + k). */
  public static double flops(int innerRank, int d, int k) {
    return (double) innerRank * innerRank * (d + k);
  }
}
