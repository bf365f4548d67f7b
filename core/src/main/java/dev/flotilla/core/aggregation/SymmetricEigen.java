package dev.flotilla.core.aggregation;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.eig.SymmetricQRAlgorithmDecomposition_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Eigenpairs of a small symmetric matrix, eigenvalues in descending order with their eigenvectors
 * as matrix columns (package-private), computed by {@link DenseKernels#eigen}; the EJML algorithms
 * every kernels fall back to live here.
 *
 * @param values the eigenvalues, descending
 * @param vectors the eigenvectors as columns
 */
record SymmetricEigen(double[] values, Matrix vectors) {
  /**
   * QR sweeps allowed per eigenvalue. EJML's default gives up on Gram matrices with a large exactly
   * repeated eigenvalue, e.g. 32 clients that share the same A (every client starts a round from
   * the same adapter): 0 repeated 248 times at n = 256. The iteration still converges, it just
   * needs more sweeps; this bound only matters for such inputs.
   */
  private static final int MAX_SWEEPS_PER_VALUE = 1_000;

  /** The first {@code count} pairs (all of them if there are fewer). */
  SymmetricEigen leading(int count) {
    int keep = Math.min(count, values.length);
    return new SymmetricEigen(Arrays.copyOf(values, keep), vectors.leadingColumns(keep));
  }

  /** EJML's symmetric QR algorithm on a non-empty square matrix, the SVD if it gives up. */
  static SymmetricEigen byQrAlgorithm(Matrix symmetric) {
    int n = symmetric.rows();
    SymmetricQRAlgorithmDecomposition_DDRM eig =
        new SymmetricQRAlgorithmDecomposition_DDRM(DecompositionFactory_DDRM.tridiagonal(n), true);
    eig.setMaxIterations(MAX_SWEEPS_PER_VALUE);
    if (!eig.decompose(new DMatrixRMaj(n, n, true, symmetric.data().clone()))) {
      return bySingularValues(symmetric);
    }
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> -eig.getEigenvalue((Integer) i).getReal()));
    double[] values = new double[n];
    Matrix vectors = new Matrix(n, n);
    double[] out = vectors.data();
    for (int c = 0; c < n; c++) {
      values[c] = eig.getEigenvalue(order[c]).getReal();
      DMatrixRMaj v = eig.getEigenVector(order[c]);
      for (int r = 0; r < n; r++) {
        out[r * n + c] = v.data[r];
      }
    }
    return new SymmetricEigen(values, vectors);
  }

  /**
   * Fallback when the QR iteration gives up: the SVD S = U Σ Vᵀ of a symmetric S has the
   * eigenvectors as the columns of U, and each eigenvalue (with its sign) is the Rayleigh quotient
   * uᵀ S u. Every caller passes a Gram-type (positive semi-definite) matrix, for which Σ = Λ.
   */
  static SymmetricEigen bySingularValues(Matrix symmetric) {
    int n = symmetric.rows();
    double[] s = symmetric.data();
    SingularValueDecomposition_F64<DMatrixRMaj> svd =
        DecompositionFactory_DDRM.svd(n, n, true, false, false);
    if (!svd.decompose(new DMatrixRMaj(n, n, true, s.clone()))) {
      throw new ArithmeticException("symmetric eigen-decomposition did not converge (n=" + n + ")");
    }
    DMatrixRMaj u = svd.getU(null, false);
    double[] quotients = new double[n];
    for (int c = 0; c < n; c++) {
      double q = 0;
      for (int r = 0; r < n; r++) {
        double row = 0;
        for (int k = 0; k < n; k++) {
          row += s[r * n + k] * u.get(k, c);
        }
        q += u.get(r, c) * row;
      }
      quotients[c] = q;
    }
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> -quotients[i]));
    double[] values = new double[n];
    Matrix vectors = new Matrix(n, n);
    double[] out = vectors.data();
    for (int c = 0; c < n; c++) {
      values[c] = quotients[order[c]];
      for (int r = 0; r < n; r++) {
        out[r * n + c] = u.get(r, order[c]);
      }
    }
    return new SymmetricEigen(values, vectors);
  }
}
