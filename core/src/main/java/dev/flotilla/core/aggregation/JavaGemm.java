package dev.flotilla.core.aggregation;

import java.util.Arrays;

/** The pure-Java {@link GemmBackend}: the aggregation kernels' own cache-blocked double kernel. */
final class JavaGemm implements GemmBackend {
  @Override
  public void multiply(
      int m, int n, int p, double[] a, boolean transposeA, double[] b, double[] c) {
    Arrays.fill(c, 0, m * n, 0);
    Gemm.run(m, 2.0 * m * n * p, i0 -> Gemm.kernel(m, n, p, a, transposeA, b, c, i0, false));
  }

  @Override
  public String name() {
    return "java-double";
  }
}
