package dev.flotilla.core.aggregation;

import dev.flotilla.core.adapter.LoraModule;
import java.util.Arrays;
import java.util.List;

/**
 * Times the phases of FlexLoRA's exact path on one LLaMA-7B-shaped module (80 clients, ranks {8,
 * 30, 200}, R = 2352) on one thread: concatenation + Gram matrices, Cholesky, Lᵀ G_B L, the top-216
 * eigenpairs, outputs. Not a test; run it as a main with {@code d k} (default 4096 4096).
 */
public final class ExactPathPhases {
  private ExactPathPhases() {}

  /** Runs three repetitions and prints each one's phase times. */
  public static void main(String[] args) {
    int d = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
    int k = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
    int[] ranks = SyntheticClients.ranks(80, new int[] {8, 30, 200}, 0.8);
    DenseKernels kernels = DenseKernels.auto();
    System.out.printf(
        "linear algebra %s, %d×%d, R = %d%n", kernels.describe(), d, k, Arrays.stream(ranks).sum());
    for (int rep = 0; rep < 3; rep++) {
      List<LoraModule> modules =
          SyntheticClients.module("m", d, k, ranks, SyntheticClients.Spectrum.REALISTIC, 5 + rep);
      double[] scales = new double[modules.size()];
      Arrays.fill(scales, 1.0 / modules.size());
      long t0 = System.nanoTime();
      try (FactoredUpdate u = FactoredUpdate.of(modules, scales, kernels)) {
        long t1 = System.nanoTime();
        Matrix l = CholeskyWhitening.lowerFactor(u.gramDown(), kernels);
        long t2 = System.nanoTime();
        Matrix h = kernels.congruence(l, u.gramUp());
        long t3 = System.nanoTime();
        SymmetricEigen e = kernels.topEigen(h, 216);
        long t4 = System.nanoTime();
        Matrix y = kernels.solveUpper(l, e.vectors());
        kernels.multiply(u.downT(), y);
        kernels.multiply(u.up(), kernels.multiply(u.gramDown(), y));
        long t5 = System.nanoTime();
        System.out.printf(
            "concatenation + Gram matrices %.2f s, Cholesky %.2f s, Lᵀ G_B L %.2f s, top-216"
                + " eigenpairs %.2f s, outputs %.2f s; total %.2f s%n",
            (t1 - t0) / 1e9,
            (t2 - t1) / 1e9,
            (t3 - t2) / 1e9,
            (t4 - t3) / 1e9,
            (t5 - t4) / 1e9,
            (t5 - t0) / 1e9);
      }
    }
  }
}
