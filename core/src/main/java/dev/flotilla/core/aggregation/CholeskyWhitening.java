package dev.flotilla.core.aggregation;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * Whitening of a Gram matrix by its Cholesky factor, used when it is well conditioned
 * (package-private): the Cholesky-QR of A_catᵀ loses orthogonality like κ(G_A)·ε, so factors with
 * κ(G_A) above {@link #MAX_CONDITION} fall back to an eigen-decomposition. Also the pure-Java
 * factorisation and triangular solve of {@link JavaKernels}.
 */
final class CholeskyWhitening {
  static final double MAX_CONDITION = 1e8;

  private CholeskyWhitening() {}

  /**
   * The lower factor L of G = L Lᵀ by {@code kernels}, or {@code null} if G is not safely positive
   * definite.
   */
  static Matrix lowerFactor(Matrix gram, DenseKernels kernels) {
    int n = gram.rows();
    double[] l = kernels.cholesky(gram);
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

  /** EJML's lower Cholesky factor (row-major), or {@code null} if G is not positive definite. */
  static double[] ejmlFactor(Matrix gram) {
    int n = gram.rows();
    CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(n, true);
    if (!chol.decompose(new DMatrixRMaj(n, n, true, gram.data().clone()))) {
      return null;
    }
    return chol.getT(null).data;
  }

  /** Solves Lᵀ Y = Z for Y by back substitution, L lower triangular. */
  static Matrix backSubstitution(Matrix lower, Matrix z) {
    int n = lower.rows();
    int m = z.cols();
    Matrix y = new Matrix(n, m, z.data().clone());
    double[] l = lower.data();
    double[] yd = y.data();
    for (int i = n - 1; i >= 0; i--) {
      int yi = i * m;
      for (int k = i + 1; k < n; k++) {
        double lki = l[k * n + i];
        if (lki != 0) {
          int yk = k * m;
          for (int c = 0; c < m; c++) {
            yd[yi + c] -= lki * yd[yk + c];
          }
        }
      }
      double d = l[i * n + i];
      for (int c = 0; c < m; c++) {
        yd[yi + c] /= d;
      }
    }
    return y;
  }
}
