package dev.flotilla.core.aggregation;

import java.util.Random;
import java.util.function.Function;

/**
 * Prints GFLOP/s (products) and seconds (eigensolvers) of the pure-Java kernels + EJML against
 * OpenBLAS/LAPACK at FlexLoRA's LLaMA-7B shapes, best of three, in one run (one run only for the n
 * = 2352 eigensolver): the measurement behind {@link DenseKernels#auto}. Not a test; run it as a
 * main (docs/benchmarks/flexlora.md).
 */
public final class KernelBenchmark {
  private static final DenseKernels JAVA = DenseKernels.forName("java");
  private static final DenseKernels OPENBLAS = DenseKernels.forName("openblas");

  private KernelBenchmark() {}

  /** Runs the benchmark. */
  public static void main(String[] args) {
    Random rnd = new Random(1);
    Matrix gramInput = random(4096, 588, rnd);
    Matrix basis = random(2352, 2352, rnd);
    Matrix block = random(2352, 216, rnd);
    Matrix factor = random(4096, 2352, rnd);
    Matrix small = OPENBLAS.gram(random(1000, 864, rnd));
    Matrix large = OPENBLAS.gram(random(3000, 2352, rnd));
    System.out.printf(
        "linear algebra: %s vs %s; load %s%n", JAVA.describe(), OPENBLAS.describe(), load());
    report("Gram XᵀX, X 4096×588", 4096.0 * 588 * 588, k -> k.gram(gramInput));
    report(
        "Krylov block (2352×2352)·(2352×216)",
        2.0 * 2352 * 2352 * 216,
        k -> k.multiply(basis, block));
    report(
        "output (4096×2352)·(2352×216)", 2.0 * 4096 * 2352 * 216, k -> k.multiply(factor, block));
    report("symmetric eigen, all pairs, n = 864", 0, k -> k.eigen(small));
    report("symmetric eigen, top 216 pairs, n = 2352", 0, k -> k.topEigen(large, 216), 1);
  }

  private static void report(String what, double flops, Function<DenseKernels, Object> task) {
    report(what, flops, task, 3);
  }

  private static void report(
      String what, double flops, Function<DenseKernels, Object> task, int runs) {
    double java = best(JAVA, task, runs);
    double openblas = best(OPENBLAS, task, runs);
    if (flops > 0) {
      System.out.printf(
          "%-42s java %7.1f GFLOP/s   openblas %7.1f GFLOP/s   ratio %5.1fx%n",
          what, flops / java / 1e9, flops / openblas / 1e9, java / openblas);
    } else {
      System.out.printf(
          "%-42s java %7.3f s          openblas %7.3f s          ratio %5.1fx%n",
          what, java, openblas, java / openblas);
    }
  }

  private static double best(DenseKernels kernels, Function<DenseKernels, Object> task, int runs) {
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      task.apply(kernels);
      best = Math.min(best, (System.nanoTime() - start) / 1e9);
    }
    return best;
  }

  private static Matrix random(int rows, int cols, Random rnd) {
    Matrix m = new Matrix(rows, cols);
    for (int i = 0; i < m.data().length; i++) {
      m.data()[i] = rnd.nextGaussian();
    }
    return m;
  }

  private static String load() {
    return String.format(
        java.util.Locale.ROOT,
        "%.2f",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }
}
