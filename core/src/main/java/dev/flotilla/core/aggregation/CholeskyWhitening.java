package dev.flotilla.core.aggregation;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * Whitening of a Gram matrix by its Cholesky factor, used when it is well conditioned
 * (package-private): the Cholesky-QR of A_catᵀ loses orthogonality like κ(G_A)·ε, so factors with
 * κ(G_A) above {@link #MAX_CONDITION} fall back to an eigen-decomposition.
 */
final class CholeskyWhitening {
  static final double MAX_CONDITION = 1e8;

  private CholeskyWhitening() {}

  /**
   * The lower factor L of G = L Lᵀ (LAPACK dpotrf with the OpenBLAS kernels, else EJML), or {@code
   * null} if G is not safely positive definite.
   */
  static Matrix lowerFactor(Matrix gram) {
    int n = gram.rows;
    double[] l = LinearAlgebra.nativeKernels() ? lapackFactor(gram) : ejmlFactor(gram);
    if (l == null) {
      return null;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (int i = 0; i < n; i++) {
      double v = l[i * n + i];
      min = Math.min(min, v * v);
      max = Math.max(max, v * v);
    }
    if (!(min > 0) || max / min > MAX_CONDITION) {
      return null;
    }
    return new Matrix(n, n, l);
  }

  private static double[] lapackFactor(Matrix gram) {
    int n = gram.rows;
    double[] l = gram.data.clone();
    if (OpenBlas.cholesky(n, l) != 0) {
      return null;
    }
    for (int i = 0; i < n; i++) {
      Arrays.fill(l, i * n + i + 1, (i + 1) * n, 0); // dpotrf leaves the upper part as is
    }
    return l;
  }

  private static double[] ejmlFactor(Matrix gram) {
    int n = gram.rows;
    CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(n, true);
    if (!chol.decompose(new DMatrixRMaj(n, n, true, gram.data.clone()))) {
      return null;
    }
    return chol.getT(null).data;
  }

  /** Lᵀ G L for the lower triangular L: the compression of G in the basis L⁻ᵀ. */
  static Matrix congruence(Matrix lower, Matrix g) {
    if (LinearAlgebra.nativeKernels()) {
      Matrix out = new Matrix(g.rows, g.cols, g.data.clone());
      OpenBlas.congruence(g.rows, lower.data, out.data);
      return out;
    }
    return Gemm.transposeMultiply(lower, Gemm.multiply(g, lower));
  }

  /** Solves Lᵀ Y = Z for Y, L lower triangular. */
  static Matrix solveUpper(Matrix lower, Matrix z) {
    int n = lower.rows;
    int m = z.cols;
    Matrix y = new Matrix(n, m, z.data.clone());
    if (LinearAlgebra.nativeKernels() && (double) n * n * m >= Gemm.NATIVE_FLOPS) {
      OpenBlas.solveUpper(n, m, lower.data, y.data);
      return y;
    }
    double[] l = lower.data;
    for (int i = n - 1; i >= 0; i--) {
      int yi = i * m;
      for (int k = i + 1; k < n; k++) {
        double lki = l[k * n + i];
        if (lki != 0) {
          int yk = k * m;
          for (int c = 0; c < m; c++) {
            y.data[yi + c] -= lki * y.data[yk + c];
          }
        }
      }
      double d = l[i * n + i];
      for (int c = 0; c < m; c++) {
        y.data[yi + c] /= d;
      }
    }
    return y;
  }
}
