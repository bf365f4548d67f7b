package dev.flotilla.core.aggregation;

import dev.flotilla.core.adapter.LoraModule;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * How large a Krylov space in the original space must grow before the rank-r truncations of ΔW =
 * B_cat·A_cat are within (1 + 1e-3) of optimal, judged against the exact spectrum, on one
 * LLaMA-7B-shaped module (80 clients, ranks {8, 30, 200}). The space is built by block Golub–Kahan
 * (two thin products with the factors per basis vector, no Gram matrix), for several block sizes;
 * the output compares its product cost with that of the two Gram matrices. Not a test; a main with
 * {@code [d k spectrum blocks]} (default 4096 4096 REALISTIC 32,64,232).
 */
public final class SketchConvergence {
  private static final int[] TARGETS = {8, 30, 64, 200};
  private static final double ALPHA = 16;

  private SketchConvergence() {}

  /**
   * Prints, per block size, the worst ratio after each block and where it first meets the bound.
   */
  public static void main(String[] args) {
    int d = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
    int k = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
    SyntheticClients.Spectrum spectrum =
        SyntheticClients.Spectrum.valueOf(args.length > 2 ? args[2] : "REALISTIC");
    int[] blocks =
        Arrays.stream((args.length > 3 ? args[3] : "32,64,232").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    int[] ranks = SyntheticClients.ranks(80, new int[] {8, 30, 200}, 0.8);
    List<LoraModule> modules = SyntheticClients.module("m", d, k, ranks, spectrum, 5);
    double[] scales = new double[ranks.length];
    for (int c = 0; c < ranks.length; c++) {
      scales[c] = ALPHA / ranks[c] / ranks.length;
    }
    DenseKernels kernels = DenseKernels.auto();
    try (FactoredUpdate u = FactoredUpdate.of(modules, scales, kernels)) {
      int r = u.innerRank();
      double[] tails = optimalTails(u, kernels);
      System.out.printf(
          "%s %d×%d, R = %d; optimal tail energy / ‖ΔW‖² at ranks %s: %s%n",
          spectrum,
          d,
          k,
          r,
          Arrays.toString(TARGETS),
          Arrays.toString(Arrays.stream(tails).map(t -> t / u.energy()).toArray()));
      double gramFlops = GramFloor.flops(r, d, k);
      int limit = Math.min(r, Math.min(d, k)) / 2;
      for (int b : blocks) {
        int reached = grow(u, b, tails, limit, kernels);
        if (reached < 0) {
          System.out.printf("block %d: bound not met within %d columns%n", b, limit);
        } else {
          double flops = 4.0 * r * (d + k) * reached;
          System.out.printf(
              "block %d: ratio ≤ 1 + 1e-3 at every target rank from s = %d; its products cost"
                  + " 4R(d + k)s = %.1f GFLOP, the two Gram matrices R²(d + k) = %.1f GFLOP"
                  + " (%.2fx)%n",
              b, reached, flops / 1e9, gramFlops / 1e9, flops / gramFlops);
        }
      }
    }
  }

  /** Σ_{i>r} λ_i for every target rank, λ the exact squared singular values of ΔW. */
  private static double[] optimalTails(FactoredUpdate u, DenseKernels kernels) {
    Matrix lower = CholeskyWhitening.lowerFactor(u.gramDown(), kernels);
    double[] lambda = kernels.eigen(kernels.congruence(lower, u.gramUp())).values();
    double[] tails = new double[TARGETS.length];
    for (int t = 0; t < TARGETS.length; t++) {
      for (int i = TARGETS[t]; i < lambda.length; i++) {
        tails[t] += Math.max(0, lambda[i]);
      }
    }
    return tails;
  }

  /**
   * Grows span{ΔWΩ, (ΔWΔWᵀ)ΔWΩ, …} block by block (Q_{j+1} from ΔW·(ΔWᵀQ_j)), Rayleigh–Ritz on the
   * accumulated ΔWᵀQ after every block; returns the first dimension whose worst ratio is ≤ 1 +
   * 1e-3, or −1 past {@code limit}.
   */
  private static int grow(
      FactoredUpdate u, int b, double[] tails, int limit, DenseKernels kernels) {
    int d = u.up().rows();
    int k = u.downT().rows();
    Random random = new Random(11);
    Matrix omega = new Matrix(k, b);
    for (int i = 0; i < omega.data().length; i++) {
      omega.data()[i] = random.nextGaussian();
    }
    Matrix y = times(u, omega, kernels);
    Matrix images = new Matrix(k, 0);
    StringBuilder trace = new StringBuilder();
    int reached = -1;
    try (BlockBasis basis = new BlockBasis(d, kernels)) {
      while (reached < 0 && basis.size() < limit) {
        BlockBasis.Block q = basis.orthonormalize(new BlockBasis.Block(y, y));
        if (q.size() == 0) {
          break;
        }
        basis.append(q);
        Matrix image = transposeTimes(u, q.w(), kernels);
        images = images.appendColumns(image);
        double worst = worstRatio(kernels.eigen(kernels.gram(images)).values(), u.energy(), tails);
        trace.append(String.format(" %d:%.1e", basis.size(), worst - 1));
        if (worst <= MetricKrylovSolver.TARGET_RATIO) {
          reached = basis.size();
        } else {
          y = times(u, image, kernels);
        }
      }
    }
    System.out.printf("block %d, s:ratio−1 after each block:%s%n", b, trace);
    return reached;
  }

  private static double worstRatio(double[] theta, double energy, double[] tails) {
    double worst = 1;
    for (int t = 0; t < TARGETS.length; t++) {
      double captured = 0;
      for (int i = 0; i < Math.min(TARGETS[t], theta.length); i++) {
        captured += theta[i];
      }
      worst = Math.max(worst, Math.sqrt(Math.max(0, energy - captured) / tails[t]));
    }
    return worst;
  }

  /** ΔW·X = B_cat·(A_cat·X). */
  private static Matrix times(FactoredUpdate u, Matrix x, DenseKernels kernels) {
    return kernels.multiply(u.up(), kernels.transposeMultiply(u.downT(), x));
  }

  /** ΔWᵀ·Y = A_catᵀ·(B_catᵀ·Y). */
  private static Matrix transposeTimes(FactoredUpdate u, Matrix y, DenseKernels kernels) {
    return kernels.multiply(u.downT(), kernels.transposeMultiply(u.up(), y));
  }
}
