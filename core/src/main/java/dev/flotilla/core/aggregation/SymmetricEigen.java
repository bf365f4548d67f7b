package dev.flotilla.core.aggregation;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Eigen-decomposition of a small symmetric matrix (EJML's symmetric QR algorithm), eigenvalues in
 * descending order with their eigenvectors as matrix columns (package-private).
 */
final class SymmetricEigen {
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
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
    if (!eig.decompose(new DMatrixRMaj(n, n, true, symmetric.data.clone()))) {
      throw new ArithmeticException("symmetric eigen-decomposition did not converge (n=" + n + ")");
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
}
