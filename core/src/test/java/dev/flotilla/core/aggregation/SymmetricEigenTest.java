package dev.flotilla.core.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {

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
        g.data[i * n + j] = s;
      }
    }
    return g;
  }

  private static void assertDecomposes(Matrix s, SymmetricEigen eig) {
    int n = s.rows;
    for (int i = 1; i < n; i++) {
      assertThat(eig.values[i]).isLessThanOrEqualTo(eig.values[i - 1]);
    }
    double scale = Math.abs(eig.values[0]);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double reconstructed = 0;
        double gram = 0;
        for (int c = 0; c < n; c++) {
          reconstructed +=
              eig.vectors.data[i * n + c] * eig.values[c] * eig.vectors.data[j * n + c];
          gram += eig.vectors.data[c * n + i] * eig.vectors.data[c * n + j];
        }
        assertThat(reconstructed).isCloseTo(s.data[i * n + j], within(1e-10 * scale));
        assertThat(gram).isCloseTo(i == j ? 1 : 0, within(1e-10));
      }
    }
  }

  @Test
  void decomposesAGramMatrixWithAnEigenvalueRepeated248Times() {
    Matrix g = repeatedGram(32, 8, 384, 3);
    SymmetricEigen eig = SymmetricEigen.of(g);
    assertDecomposes(g, eig);
    assertThat(eig.values[8]).isCloseTo(0, within(1e-10 * eig.values[0]));
  }

  @Test
  void singularValueFallbackGivesTheSameSpectrum() {
    Matrix g = repeatedGram(8, 6, 50, 5);
    SymmetricEigen qr = SymmetricEigen.of(g);
    SymmetricEigen svd = SymmetricEigen.bySingularValues(g);
    assertDecomposes(g, svd);
    for (int i = 0; i < g.rows; i++) {
      assertThat(svd.values[i]).isCloseTo(qr.values[i], within(1e-10 * qr.values[0]));
    }
  }
}
