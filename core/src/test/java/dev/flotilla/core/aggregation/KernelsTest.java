package dev.flotilla.core.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KernelsTest {
  /** The default kernels: OpenBLAS if it loads. */
  private static final DenseKernels KERNELS = DenseKernels.auto();

  private static Matrix random(int rows, int cols, Random rnd) {
    Matrix m = new Matrix(rows, cols);
    for (int i = 0; i < m.data().length; i++) {
      m.data()[i] = rnd.nextGaussian();
    }
    return m;
  }

  private static Matrix naive(Matrix a, Matrix b) {
    Matrix c = new Matrix(a.rows(), b.cols());
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < b.cols(); j++) {
        double s = 0;
        for (int k = 0; k < a.cols(); k++) {
          s += a.get(i, k) * b.get(k, j);
        }
        c.set(i, j, s);
      }
    }
    return c;
  }

  private static void assertClose(Matrix x, Matrix y) {
    assertThat(x.rows()).isEqualTo(y.rows());
    assertThat(x.cols()).isEqualTo(y.cols());
    for (int i = 0; i < x.data().length; i++) {
      assertThat(x.data()[i]).isCloseTo(y.data()[i], within(1e-9 * (1 + Math.abs(y.data()[i]))));
    }
  }

  @Test
  void gemmVariantsMatchNaiveProductsOnOddShapes() {
    Random rnd = new Random(4);
    for (int[] s : new int[][] {{1, 1, 1}, {7, 5, 3}, {37, 300, 261}, {130, 9, 517}}) {
      Matrix a = random(s[0], s[1], rnd);
      Matrix b = random(s[1], s[2], rnd);
      assertClose(KERNELS.multiply(a, b), naive(a, b));
      Matrix at = a.transpose();
      assertClose(KERNELS.transposeMultiply(at, b), naive(a, b));
      assertClose(KERNELS.gram(b), naive(b.transpose(), b));
    }
  }

  @Test
  void symmetricEigenIsDescendingAndReconstructs() {
    Matrix x = random(30, 12, new Random(2));
    Matrix g = KERNELS.gram(x);
    SymmetricEigen eig = KERNELS.eigen(g);
    for (int i = 1; i < eig.values().length; i++) {
      assertThat(eig.values()[i]).isLessThanOrEqualTo(eig.values()[i - 1]);
    }
    Matrix scaled = eig.vectors().scaled(1);
    scaled.scaleColumns(eig.values());
    assertClose(KERNELS.multiply(scaled, eig.vectors().transpose()), g);
  }

  @Test
  void certificateIsOneForExactSpectraAndGrowsWithResidual() {
    double[] theta = {9, 4, 1, 0.5, 0.25};
    double energy = 9 + 4 + 1 + 0.5 + 0.25 + 0.25;
    assertThat(OptimalityCertificate.ratioBound(energy, theta, 2, 1, 0)).isEqualTo(1.0);
    double loose = OptimalityCertificate.ratioBound(energy, theta, 2, 1, 0.5);
    assertThat(loose).isGreaterThan(1.0);
    // ρ large enough that the bound admits no tail at all
    assertThat(OptimalityCertificate.ratioBound(energy, theta, 2, 1, 10)).isInfinite();
    assertThat(OptimalityCertificate.relativeError(energy, theta, 2))
        .isCloseTo(Math.sqrt(2.0 / energy), within(1e-12));
  }

  @Test
  void lanczosBoundDominatesTheDeflatedTopEigenvalue() {
    java.util.List<dev.flotilla.core.adapter.LoraModule> modules =
        SyntheticClients.module(
            "m", 50, 40, new int[] {4, 4, 8}, SyntheticClients.Spectrum.FLAT, 11);
    try (FactoredUpdate u = FactoredUpdate.of(modules, new double[] {1, 0.5, 0.25}, KERNELS)) {
      Matrix none = new Matrix(u.innerRank(), 0);
      double nu = DeflatedLanczos.upperBound(u, none, 1, KERNELS);
      // exact λ_max of C = ΔWᵀΔW from the R × R problem: eig(G_B G_A) = eig of the compression
      TopSpectrum top = MetricKrylovSolver.solve(u, new int[] {16}, 3, KERNELS);
      assertThat(nu).isGreaterThanOrEqualTo(top.theta()[0] * (1 - 1e-9));
      assertThat(nu).isLessThanOrEqualTo(top.theta()[0] / (1 - DeflatedLanczos.DELTA) * (1 + 1e-9));
    }
  }

  @Test
  void lanczosBoundInExtendedCoordinatesDominatesTheDeflatedEigenvalue() {
    java.util.List<dev.flotilla.core.adapter.LoraModule> modules =
        SyntheticClients.module(
            "m", 60, 50, new int[] {4, 8, 8}, SyntheticClients.Spectrum.FLAT, 12);
    try (FactoredUpdate u = FactoredUpdate.of(modules, new double[] {1, 0.5, 0.25}, KERNELS)) {
      TopSpectrum top = MetricKrylovSolver.solve(u, new int[] {20}, 3, KERNELS);
      for (int s : new int[] {1, 5, 12}) {
        // exact singular vectors: P⊥ C P⊥ has λ_max = θ_s exactly
        double nu = DeflatedLanczos.upperBound(u, top.y().leadingColumns(s), 7, KERNELS);
        assertThat(nu).isGreaterThanOrEqualTo(top.theta()[s] * (1 - 1e-9));
        assertThat(nu)
            .isLessThanOrEqualTo(top.theta()[s] / (1 - DeflatedLanczos.DELTA) * (1 + 1e-9));
      }
    }
  }

  @Test
  void openBlasAndJavaKernelsAgreeWithNaiveProductsAndDecompositions() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        OpenBlas.loadFailure() == null, "OpenBLAS natives for this platform");
    Random rnd = new Random(9);
    Matrix x = random(400, 301, rnd);
    Matrix y = random(301, 250, rnd);
    Matrix small = random(10, 10, rnd);
    for (String name : new String[] {"openblas", "java"}) {
      DenseKernels kernels = DenseKernels.forName(name);
      Matrix g = kernels.gram(x);
      assertClose(g, naive(x.transpose(), x));
      assertClose(kernels.multiply(x, y), naive(x, y));
      assertClose(kernels.transposeMultiply(x.transpose(), y), naive(x, y));
      assertClose(kernels.multiply(small, small), naive(small, small));
      SymmetricEigen eig = kernels.eigen(g);
      Matrix scaled = eig.vectors().scaled(1);
      scaled.scaleColumns(eig.values());
      assertClose(kernels.multiply(scaled, eig.vectors().transpose()), g);
      for (int i = 1; i < eig.values().length; i++) {
        assertThat(eig.values()[i]).isLessThanOrEqualTo(eig.values()[i - 1]);
      }
      SymmetricEigen top = kernels.topEigen(g, 9);
      for (int c = 0; c < 9; c++) {
        assertThat(top.values()[c]).isCloseTo(eig.values()[c], within(1e-9 * eig.values()[0]));
        double dot = 0;
        for (int r = 0; r < g.rows(); r++) {
          dot += top.vectors().get(r, c) * eig.vectors().get(r, c);
        }
        assertThat(Math.abs(dot)).as("eigenvector %d up to sign", c).isCloseTo(1, within(1e-8));
      }
      Matrix l = CholeskyWhitening.lowerFactor(g, kernels);
      Matrix h = random(301, 301, rnd);
      assertClose(kernels.congruence(l, h), naive(l.transpose(), naive(h, l)));
      assertClose(kernels.multiply(l, l.transpose()), g);
      assertThat(l.get(0, 1)).isZero();
      Matrix z = random(301, 7, rnd);
      assertClose(kernels.multiply(l.transpose(), kernels.solveUpper(l, z)), z);
    }
  }

  @Test
  void selectionNamesTheOptionValues() {
    assertThat(DenseKernels.forName("java").name()).isEqualTo("java");
    assertThat(DenseKernels.forName("java").describe()).startsWith("java");
    assertThatThrownBy(() -> DenseKernels.forName("mkl"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("auto, openblas or java")
        .hasMessageContaining("'mkl'");
  }

  @Test
  void residualColumnNormEstimatesAreLowerBoundsCloseToTheSpectralNorm() {
    Matrix r = random(12, 40, new Random(5));
    ResidualColumnNorms norms = new ResidualColumnNorms(r, new int[] {0, 3, 7}, 10);
    for (int s : new int[] {10, 25, 40}) {
      norms.accumulateTo(s);
      for (int i = 0; i < norms.splitCount(); i++) {
        Matrix cols = r.columns(norms.split(i), s);
        double exact =
            Math.sqrt(KERNELS.eigen(KERNELS.multiply(cols, cols.transpose())).values()[0]);
        double estimate = norms.estimate(i);
        assertThat(estimate).isLessThanOrEqualTo(exact * (1 + 1e-12));
        assertThat(estimate).isGreaterThan(0.9 * exact);
      }
    }
  }
}
