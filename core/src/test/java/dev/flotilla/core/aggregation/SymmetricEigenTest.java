package dev.flotilla.core.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {
  /** The default kernels: LAPACK's dsyevd if OpenBLAS loads, else EJML's QR algorithm. */
  private static final DenseKernels KERNELS = DenseKernels.auto();

  /** G = A Aᵀ for {@code copies} identical blocks of {@code rank} random rows of length k. */
  private static Matrix repeatedGram(int copies, int rank, int k, long seed) {
    Random random = new Random(seed);
    double[] block = new double[rank * k];
    for (int i = 0; i < block.length; i++) {
      block[i] = random.nextGaussian() / Math.sqrt(k);
    }
    int n = copies * rank;
    Matrix g = new Matrix(n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int t = 0; t < k; t++) {
          s += block[(i % rank) * k + t] * block[(j % rank) * k + t];
        }
        g.set(i, j, s);
      }
    }
    return g;
  }

  private static void assertDecomposes(Matrix s, SymmetricEigen eig) {
    int n = s.rows();
    double[] values = eig.values();
    double[] vectors = eig.vectors().data();
    for (int i = 1; i < n; i++) {
      assertThat(values[i]).isLessThanOrEqualTo(values[i - 1]);
    }
    double scale = Math.abs(values[0]);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double reconstructed = 0;
        double gram = 0;
        for (int c = 0; c < n; c++) {
          reconstructed += vectors[i * n + c] * values[c] * vectors[j * n + c];
          gram += vectors[c * n + i] * vectors[c * n + j];
        }
        assertThat(reconstructed).isCloseTo(s.get(i, j), within(1e-10 * scale));
        assertThat(gram).isCloseTo(i == j ? 1 : 0, within(1e-10));
      }
    }
  }

  @Test
  void decomposesAGramMatrixWithAnEigenvalueRepeated248Times() {
    Matrix g = repeatedGram(32, 8, 384, 3);
    SymmetricEigen eig = KERNELS.eigen(g);
    assertDecomposes(g, eig);
    assertThat(eig.values()[8]).isCloseTo(0, within(1e-10 * eig.values()[0]));
  }

  @Test
  void singularValueFallbackGivesTheSameSpectrum() {
    Matrix g = repeatedGram(8, 6, 50, 5);
    SymmetricEigen qr = KERNELS.eigen(g);
    SymmetricEigen svd = SymmetricEigen.bySingularValues(g);
    assertDecomposes(g, svd);
    for (int i = 0; i < g.rows(); i++) {
      assertThat(svd.values()[i]).isCloseTo(qr.values()[i], within(1e-10 * qr.values()[0]));
    }
  }
}
