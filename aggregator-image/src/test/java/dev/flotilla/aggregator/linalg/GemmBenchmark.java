package dev.flotilla.aggregator.linalg;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.flotilla.core.aggregation.GemmBackend;
import dev.flotilla.core.aggregation.GemmBackends;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Random;

/**
 * Measures GFLOP/s of the pure-Java double GEMM, PyTorch float64 matmul through {@link TorchGemm}
 * (including the copies in and out) and, for comparison only, PyTorch float32 matmul on resident
 * tensors, at the shapes FlexLoRA uses at LLaMA-7B size. Not a test: a main (see
 * docs/benchmarks/flexlora.md). Argument: torch intra-op threads (default 2).
 */
public final class GemmBenchmark {
  private GemmBenchmark() {}

  /** Runs the measurement. */
  public static void main(String[] args) {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    Path cache = Path.of(System.getProperty("user.home"), ".cache", "flotilla", "djl");
    int[][] shapes = {
      {588, 588, 4096, 1}, // one block of the Gram A_cat·A_catᵀ (A_catᵀ is 4096 × 2352)
      {2352, 216, 2352, 0}, // a Krylov block: G_B · (G_A · Y)
      {4096, 216, 2352, 0}, // A_catᵀ · Y
      {2048, 2048, 2048, 0}
    };
    try (TorchGemm torch = TorchGemm.open(threads, cache);
        NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      System.out.printf(
          "torch intra-op threads %d, %d processors, load %.2f%n",
          threads,
          Runtime.getRuntime().availableProcessors(),
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      for (int[] s : shapes) {
        Random rnd = new Random(1);
        double[] a = new double[s[0] * s[2]];
        double[] b = new double[s[2] * s[1]];
        for (int i = 0; i < a.length; i++) {
          a[i] = rnd.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
          b[i] = rnd.nextGaussian();
        }
        double flops = 2.0 * s[0] * s[1] * s[2];
        double java = rate(GemmBackends.pureJava(), s, a, b, flops);
        double f64 = rate(torch, s, a, b, flops);
        NDArray x = manager.create(a, s[3] == 1 ? new Shape(s[2], s[0]) : new Shape(s[0], s[2]));
        NDArray xf =
            (s[3] == 1 ? x.transpose() : x).toType(ai.djl.ndarray.types.DataType.FLOAT32, true);
        NDArray yf =
            manager
                .create(b, new Shape(s[2], s[1]))
                .toType(ai.djl.ndarray.types.DataType.FLOAT32, true);
        double f32 = 0;
        for (int rep = 0; rep < 3; rep++) {
          long t0 = System.nanoTime();
          xf.matMul(yf).close();
          f32 = Math.max(f32, flops / (System.nanoTime() - t0));
        }
        System.out.printf(
            "%s%dx%d · %dx%d: java-double %.1f GFLOP/s, pytorch-float64 (with copies) %.1f,"
                + " pytorch-float32 (resident) %.1f; load %.2f%n",
            s[3] == 1 ? "(transposed) " : "",
            s[0],
            s[2],
            s[2],
            s[1],
            java,
            f64,
            f32,
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      }
    }
  }

  private static double rate(GemmBackend backend, int[] s, double[] a, double[] b, double flops) {
    double[] c = new double[s[0] * s[1]];
    double best = 0;
    for (int rep = 0; rep < 3; rep++) {
      long t0 = System.nanoTime();
      backend.multiply(s[0], s[1], s[2], a, s[3] == 1, b, c);
      best = Math.max(best, flops / (System.nanoTime() - t0));
    }
    return best;
  }
}
