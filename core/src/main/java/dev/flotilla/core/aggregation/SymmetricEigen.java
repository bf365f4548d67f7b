package dev.flotilla.core.aggregation;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.eig.SymmetricQRAlgorithmDecomposition_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Eigen-decomposition of a small symmetric matrix, eigenvalues in descending order with their
 * eigenvectors as matrix columns (package-private): LAPACK's divide and conquer (dsyevd) with the
 * OpenBLAS kernels, else EJML's symmetric QR algorithm, with an SVD fallback for both.
 */
final class SymmetricEigen {
  /**
   * QR sweeps allowed per eigenvalue. EJML's default gives up on Gram matrices with a large exactly
   * repeated eigenvalue, e.g. 32 clients that share the same A (every client starts a round from
   * the same adapter): 0 repeated 248 times at n = 256. The iteration still converges, it just
   * needs more sweeps; this bound only matters for such inputs.
   */
  private static final int MAX_SWEEPS_PER_VALUE = 1_000;

  final double[] values;
  final Matrix vectors;

  private SymmetricEigen(double[] values, Matrix vectors) {
    this.values = values;
    this.vectors = vectors;
  }

  static SymmetricEigen of(Matrix symmetric) {
    int n = symmetric.rows;
    if (n != symmetric.cols) {
      throw new IllegalArgumentException("not square: " + symmetric);
    }
    if (n == 0) {
      return new SymmetricEigen(new double[0], new Matrix(0, 0));
    }
    if (LinearAlgebra.nativeKernels()) {
      SymmetricEigen lapack = byLapack(symmetric);
      if (lapack != null) {
        return lapack;
      }
    }
    SymmetricQRAlgorithmDecomposition_DDRM eig =
        new SymmetricQRAlgorithmDecomposition_DDRM(DecompositionFactory_DDRM.tridiagonal(n), true);
    eig.setMaxIterations(MAX_SWEEPS_PER_VALUE);
    if (!eig.decompose(new DMatrixRMaj(n, n, true, symmetric.data.clone()))) {
      return bySingularValues(symmetric);
    }
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> -eig.getEigenvalue((Integer) i).getReal()));
    double[] values = new double[n];
    Matrix vectors = new Matrix(n, n);
    for (int c = 0; c < n; c++) {
      values[c] = eig.getEigenvalue(order[c]).getReal();
      DMatrixRMaj v = eig.getEigenVector(order[c]);
      for (int r = 0; r < n; r++) {
        vectors.data[r * n + c] = v.data[r];
      }
    }
    return new SymmetricEigen(values, vectors);
  }

  /**
   * The {@code count} largest eigenvalues (descending) with their eigenvectors: LAPACK's MRRR
   * (dsyevr) computes only those with the OpenBLAS kernels; otherwise the full decomposition is
   * truncated.
   */
  static SymmetricEigen top(Matrix symmetric, int count) {
    int n = symmetric.rows;
    if (LinearAlgebra.nativeKernels() && count > 0 && count < n) {
      double[] ascending = new double[n];
      double[] z = new double[n * count];
      if (OpenBlas.topEigen(n, symmetric.data.clone(), count, ascending, z) == 0) {
        return descending(n, count, ascending, z);
      }
    }
    SymmetricEigen all = of(symmetric);
    int keep = Math.min(count, all.values.length);
    return new SymmetricEigen(Arrays.copyOf(all.values, keep), all.vectors.leadingColumns(keep));
  }

  /** dsyevd, reordered to descending; {@code null} if LAPACK reports a failure. */
  private static SymmetricEigen byLapack(Matrix symmetric) {
    int n = symmetric.rows;
    double[] a = symmetric.data.clone();
    double[] ascending = new double[n];
    if (OpenBlas.symmetricEigen(n, a, ascending) != 0) {
      return null;
    }
    return descending(n, n, ascending, a);
  }

  /** LAPACK's ascending order (values, vectors as the columns of n × count z) reversed. */
  private static SymmetricEigen descending(int n, int count, double[] ascending, double[] z) {
    double[] values = new double[count];
    Matrix vectors = new Matrix(n, count);
    for (int c = 0; c < count; c++) {
      int from = count - 1 - c;
      values[c] = ascending[from];
      for (int r = 0; r < n; r++) {
        vectors.data[r * count + c] = z[r * count + from];
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
    int n = symmetric.rows;
    SingularValueDecomposition_F64<DMatrixRMaj> svd =
        DecompositionFactory_DDRM.svd(n, n, true, false, false);
    if (!svd.decompose(new DMatrixRMaj(n, n, true, symmetric.data.clone()))) {
      throw new ArithmeticException("symmetric eigen-decomposition did not converge (n=" + n + ")");
    }
    DMatrixRMaj u = svd.getU(null, false);
    double[] quotients = new double[n];
    for (int c = 0; c < n; c++) {
      double q = 0;
      for (int r = 0; r < n; r++) {
        double row = 0;
        for (int k = 0; k < n; k++) {
          row += symmetric.data[r * n + k] * u.get(k, c);
        }
        q += u.get(r, c) * row;
      }
      quotients[c] = q;
    }
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> -quotients[i]));
    double[] values = new double[n];
    Matrix vectors = new Matrix(n, n);
    for (int c = 0; c < n; c++) {
      values[c] = quotients[order[c]];
      for (int r = 0; r < n; r++) {
        vectors.data[r * n + c] = u.get(r, order[c]);
      }
    }
    return new SymmetricEigen(values, vectors);
  }
}
