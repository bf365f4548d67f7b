package dev.flotilla.core.aggregation;

import java.util.Arrays;

/**
 * Cheap estimates (from below) of the spectral norm of column ranges [t, s) of a b × m residual,
 * for the certificate's choice of split and deflation size (package-private). Column ranges are
 * swept with ascending s: the b × b matrix P_s = Σ_{c&lt;s} r_c r_cᵀ is accumulated once, prefixes
 * P_t are kept for the few split points t, and power iteration on P_s − P_t (b × b) replaces
 * iterating over the b × (s − t) columns for every pair. Each split's iteration continues from its
 * vector of the previous s, so later queries need only a few steps. Any unit vector x gives ‖(P_s −
 * P_t)x‖ ≤ λ_max, so every estimate stays a lower bound.
 */
final class ResidualColumnNorms {
  private static final int POWER_STEPS = 30;

  /** Steps when the iteration starts from the split's previous vector (s grows slowly). */
  private static final int WARM_STEPS = 6;

  private final double[] rows;
  private final int b;
  private final double[] running;
  private final int[] splits;
  private final double[][] prefixAtSplit;
  private final double[][] lastVector;
  private int accumulated;

  /**
   * @param residual the b × m residual
   * @param splits ascending split points, all at most {@code firstEnd}
   * @param firstEnd the smallest s that will be queried
   */
  ResidualColumnNorms(Matrix residual, int[] splits, int firstEnd) {
    this.rows = residual.transpose().data();
    this.b = residual.rows();
    this.running = new double[b * b];
    this.splits = splits;
    this.prefixAtSplit = new double[splits.length][];
    this.lastVector = new double[splits.length][];
    for (int i = 0; i < splits.length; i++) {
      accumulateTo(splits[i]);
      prefixAtSplit[i] = running.clone();
    }
    accumulateTo(firstEnd);
  }

  /** Advances the sweep to {@code end} (ascending calls only). */
  void accumulateTo(int end) {
    for (int c = accumulated; c < end; c++) {
      int o = c * b;
      for (int i = 0; i < b; i++) {
        double ri = rows[o + i];
        if (ri != 0) {
          int p = i * b;
          for (int j = 0; j < b; j++) {
            running[p + j] += ri * rows[o + j];
          }
        }
      }
    }
    accumulated = Math.max(accumulated, end);
  }

  /** A lower estimate of ‖R[:, splits[index] : current end)‖₂. */
  double estimate(int index) {
    if (b == 0) {
      return 0;
    }
    double[] prefix = prefixAtSplit[index];
    double[] x = lastVector[index];
    int steps = WARM_STEPS;
    if (x == null) {
      x = new double[b];
      Arrays.fill(x, 1 / Math.sqrt(b));
      lastVector[index] = x;
      steps = POWER_STEPS;
    }
    double[] y = new double[b];
    double lambda = 0;
    for (int step = 0; step < steps; step++) {
      double sq = 0;
      for (int i = 0; i < b; i++) {
        double sum = 0;
        int p = i * b;
        for (int j = 0; j < b; j++) {
          sum += (running[p + j] - prefix[p + j]) * x[j];
        }
        y[i] = sum;
        sq += sum * sum;
      }
      lambda = Math.sqrt(sq);
      if (lambda == 0) {
        return 0;
      }
      for (int i = 0; i < b; i++) {
        x[i] = y[i] / lambda;
      }
    }
    return Math.sqrt(lambda);
  }

  int splitCount() {
    return splits.length;
  }

  int split(int index) {
    return splits[index];
  }
}
