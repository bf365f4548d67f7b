package dev.flotilla.core.aggregation;

import java.util.Arrays;

/**
 * The OpenBLAS kernels (package-private): dgemm/dsyrk for products of at least {@link
 * #NATIVE_FLOPS}, dpotrf, dtrmm, dtrsm, and dsyevd/dsyevr for eigenpairs; smaller products, small
 * triangular solves and failed LAPACK eigensolves run in the Java kernels' code. Only created after
 * {@link OpenBlas#loadFailure()} returned {@code null}.
 */
final class OpenBlasKernels extends DenseKernels {
  /** Smaller products stay in Java: the JNI call and its array copies cost more than the flops. */
  private static final double NATIVE_FLOPS = 2e5;

  /**
   * With LAPACK the exact path was faster at the LLaMA-7B shape (R = 2352, b = 216: 3.3–3.5 s
   * against 3.6–4.8 s per 4096² module, same run).
   */
  private static final int TRUNCATED_PATH_MIN_BLOCKS = 16;

  @Override
  public String name() {
    return "openblas";
  }

  @Override
  public String describe() {
    return "openblas (" + OpenBlas.threads() + " threads)";
  }

  @Override
  void product(int m, int n, int p, Matrix a, boolean transA, Matrix b, double[] c) {
    if (2.0 * m * n * p >= NATIVE_FLOPS) {
      OpenBlas.gemm(m, n, p, a, transA, b, c);
    } else {
      Gemm.product(m, n, p, a.data(), transA, b.data(), c);
    }
  }

  @Override
  void gramUpper(Matrix x, double[] c) {
    int n = x.cols();
    if ((double) x.rows() * n * n >= NATIVE_FLOPS) {
      OpenBlas.gramUpper(x, c);
    } else {
      Gemm.gramUpper(x.rows(), n, x.data(), c);
    }
  }

  @Override
  double[] cholesky(Matrix gram) {
    int n = gram.rows();
    double[] l = gram.data().clone();
    if (OpenBlas.cholesky(n, l) != 0) {
      return null;
    }
    for (int i = 0; i < n; i++) {
      Arrays.fill(l, i * n + i + 1, (i + 1) * n, 0); // dpotrf leaves the upper part as is
    }
    return l;
  }

  @Override
  Matrix congruence(Matrix lower, Matrix g) {
    Matrix out = new Matrix(g.rows(), g.cols(), g.data().clone());
    OpenBlas.congruence(g.rows(), lower.data(), out.data());
    return out;
  }

  @Override
  Matrix solveUpper(Matrix lower, Matrix z) {
    int n = lower.rows();
    int m = z.cols();
    if ((double) n * n * m < NATIVE_FLOPS) {
      return CholeskyWhitening.backSubstitution(lower, z);
    }
    Matrix y = new Matrix(n, m, z.data().clone());
    OpenBlas.solveUpper(n, m, lower.data(), y.data());
    return y;
  }

  /** dsyevd, reordered to descending; EJML's QR algorithm if LAPACK reports a failure. */
  @Override
  SymmetricEigen decompose(Matrix symmetric) {
    int n = symmetric.rows();
    double[] a = symmetric.data().clone();
    double[] ascending = new double[n];
    if (OpenBlas.symmetricEigen(n, a, ascending) != 0) {
      return SymmetricEigen.byQrAlgorithm(symmetric);
    }
    return descending(n, n, ascending, a);
  }

  /** Only the top {@code count} eigenpairs, by MRRR (dsyevr); the full decomposition otherwise. */
  @Override
  SymmetricEigen topEigen(Matrix symmetric, int count) {
    int n = symmetric.rows();
    if (count > 0 && count < n) {
      double[] ascending = new double[n];
      double[] z = new double[n * count];
      if (OpenBlas.topEigen(n, symmetric.data().clone(), count, ascending, z) == 0) {
        return descending(n, count, ascending, z);
      }
    }
    return super.topEigen(symmetric, count);
  }

  /** LAPACK's ascending order (values, vectors as the columns of n × count z) reversed. */
  private static SymmetricEigen descending(int n, int count, double[] ascending, double[] z) {
    double[] values = new double[count];
    Matrix vectors = new Matrix(n, count);
    double[] v = vectors.data();
    for (int c = 0; c < count; c++) {
      int from = count - 1 - c;
      values[c] = ascending[from];
      for (int r = 0; r < n; r++) {
        v[r * count + c] = z[r * count + from];
      }
    }
    return new SymmetricEigen(values, vectors);
  }

  @Override
  Pinned pin(Matrix... matrices) {
    Pinned[] pins = new Pinned[matrices.length];
    for (int i = 0; i < matrices.length; i++) {
      pins[i] = matrices[i].attach(new OpenBlas.NativeCopy(matrices[i].data()));
    }
    return () -> {
      for (Pinned pin : pins) {
        pin.close();
      }
    };
  }

  @Override
  int truncatedPathMinBlocks() {
    return TRUNCATED_PATH_MIN_BLOCKS;
  }
}
