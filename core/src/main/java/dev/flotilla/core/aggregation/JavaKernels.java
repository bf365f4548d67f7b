package dev.flotilla.core.aggregation;

/**
 * The pure-Java kernels (package-private): {@link Gemm}'s products, EJML's Cholesky and symmetric
 * QR eigensolver, back substitution. They run on every platform and pin nothing.
 */
final class JavaKernels extends DenseKernels {
  @Override
  public String name() {
    return "java";
  }

  @Override
  public String describe() {
    return "java"
        + (OpenBlas.loadFailure() == null
            ? ""
            : " (openblas unavailable: " + OpenBlas.loadFailure() + ")");
  }

  @Override
  void product(int m, int n, int p, Matrix a, boolean transA, Matrix b, double[] c) {
    Gemm.product(m, n, p, a.data(), transA, b.data(), c);
  }

  @Override
  void gramUpper(Matrix x, double[] c) {
    Gemm.gramUpper(x.rows(), x.cols(), x.data(), c);
  }

  @Override
  double[] cholesky(Matrix gram) {
    return CholeskyWhitening.ejmlFactor(gram);
  }

  @Override
  Matrix congruence(Matrix lower, Matrix g) {
    return transposeMultiply(lower, multiply(g, lower));
  }

  @Override
  Matrix solveUpper(Matrix lower, Matrix z) {
    return CholeskyWhitening.backSubstitution(lower, z);
  }

  @Override
  SymmetricEigen decompose(Matrix symmetric) {
    return SymmetricEigen.byQrAlgorithm(symmetric);
  }

  @Override
  Pinned pin(Matrix... matrices) {
    return Pinned.NOTHING;
  }

  /**
   * None: with EJML's eigensolver (~10× slower than LAPACK's) the exact path never wins on cost, so
   * the truncated one runs whenever it fits ({@link MetricKrylovSolver#MIN_BLOCKS} blocks below
   * {@link MetricKrylovSolver#EXACT_FRACTION} of R).
   */
  @Override
  int truncatedPathMinBlocks() {
    return 0;
  }
}
