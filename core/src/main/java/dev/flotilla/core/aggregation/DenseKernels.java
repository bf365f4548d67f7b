package dev.flotilla.core.aggregation;

import java.util.Locale;

/**
 * The dense kernels of one FlexLoRA aggregation: OpenBLAS (native BLAS + LAPACK) or the pure-Java
 * products with EJML's decompositions. Chosen once by {@link #forName} and handed to {@link
 * FlexLoraStrategy}, which passes it to every product, decomposition and to the cost model; no
 * choice is global, so aggregations on different kernels can run side by side. Both compute in
 * double precision; the choice changes speed and the solver path, not the method.
 */
public abstract sealed class DenseKernels permits JavaKernels, OpenBlasKernels {
  DenseKernels() {}

  /**
   * Kernels by name: {@code auto} (OpenBLAS when its native library loads, else Java), {@code
   * openblas} or {@code java}; {@code null} means {@code auto}.
   *
   * @throws IllegalArgumentException for another name, or {@code openblas} when it cannot load
   */
  public static DenseKernels forName(String name) {
    String key = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
    return switch (key) {
      case "auto" -> auto();
      case "openblas" -> {
        if (OpenBlas.loadFailure() != null) {
          throw new IllegalArgumentException(
              "linear algebra 'openblas' is not available here: " + OpenBlas.loadFailure());
        }
        yield new OpenBlasKernels();
      }
      case "java" -> new JavaKernels();
      default ->
          throw new IllegalArgumentException(
              "linear algebra must be auto, openblas or java, got '" + name + "'");
    };
  }

  /** OpenBLAS when its native library loads, else the Java kernels. */
  public static DenseKernels auto() {
    return OpenBlas.loadFailure() == null ? new OpenBlasKernels() : new JavaKernels();
  }

  /**
   * The name {@link #forName} takes for exactly these kernels: {@code openblas} or {@code java}.
   */
  public abstract String name();

  /** For logs and benchmark output, e.g. {@code openblas (1 threads)}. */
  public abstract String describe();

  /** {@code A · B}. */
  final Matrix multiply(Matrix a, Matrix b) {
    if (a.cols() != b.rows()) {
      throw new IllegalArgumentException("inner dimensions differ: " + a + " · " + b);
    }
    Matrix c = new Matrix(a.rows(), b.cols());
    product(a.rows(), b.cols(), a.cols(), a, false, b, c.data());
    return c;
  }

  /** {@code Aᵀ · B}. */
  final Matrix transposeMultiply(Matrix a, Matrix b) {
    if (a.rows() != b.rows()) {
      throw new IllegalArgumentException("row counts differ: " + a + "ᵀ · " + b);
    }
    Matrix c = new Matrix(a.cols(), b.cols());
    product(a.cols(), b.cols(), a.rows(), a, true, b, c.data());
    return c;
  }

  /** The Gram matrix {@code Xᵀ · X}, computing one triangle and mirroring it. */
  final Matrix gram(Matrix x) {
    Matrix c = new Matrix(x.cols(), x.cols());
    gramUpper(x, c.data());
    Gemm.mirrorUpper(c.data(), x.cols());
    return c;
  }

  /** Overwrites c (m × n) with op(A)·B, op(A) m × p: A, or Aᵀ when {@code transA}. */
  abstract void product(int m, int n, int p, Matrix a, boolean transA, Matrix b, double[] c);

  /** The upper triangle of c (n × n) = XᵀX for X (rows × n); the strict lower part is not set. */
  abstract void gramUpper(Matrix x, double[] c);

  /**
   * The lower factor L of G = L Lᵀ (n × n row-major, zero above the diagonal), or {@code null} when
   * the factorisation fails (G not positive definite).
   */
  abstract double[] cholesky(Matrix gram);

  /** Lᵀ G L for the lower triangular L. */
  abstract Matrix congruence(Matrix lower, Matrix g);

  /** Solves Lᵀ Y = Z for Y, L lower triangular. */
  abstract Matrix solveUpper(Matrix lower, Matrix z);

  /**
   * Eigen-decomposition of a symmetric matrix: eigenvalues in descending order with their
   * eigenvectors as matrix columns.
   */
  final SymmetricEigen eigen(Matrix symmetric) {
    int n = symmetric.rows();
    if (n != symmetric.cols()) {
      throw new IllegalArgumentException("not square: " + symmetric);
    }
    return n == 0 ? new SymmetricEigen(new double[0], new Matrix(0, 0)) : decompose(symmetric);
  }

  /** {@link #eigen} of a non-empty square matrix. */
  abstract SymmetricEigen decompose(Matrix symmetric);

  /** The {@code count} largest eigenvalues (descending) with their eigenvectors. */
  SymmetricEigen topEigen(Matrix symmetric, int count) {
    return eigen(symmetric).leading(count);
  }

  /**
   * Keeps native copies of {@code matrices} that the products read instead of copying the arrays on
   * every call, until the result is closed; the data must not change meanwhile. For large operands
   * reused by many products.
   */
  abstract Pinned pin(Matrix... matrices);

  /**
   * The cost model's input ({@link MetricKrylovSolver#plannedPath}): how many Krylov blocks the
   * inner rank R must hold before FlexLoRA's truncated path is cheaper than its exact one, whose
   * cost is an R × R eigen-decomposition on these kernels.
   */
  abstract int truncatedPathMinBlocks();
}
