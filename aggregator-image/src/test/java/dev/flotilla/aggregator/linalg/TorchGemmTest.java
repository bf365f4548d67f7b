package dev.flotilla.aggregator.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flotilla.core.aggregation.GemmBackend;
import dev.flotilla.core.aggregation.GemmBackends;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TorchGemmTest {
  private static TorchGemm torch;

  @BeforeAll
  static void open() {
    torch =
        TorchGemm.open(1, Path.of(System.getProperty("user.home"), ".cache", "flotilla", "djl"));
  }

  @AfterAll
  static void close() {
    torch.close();
  }

  private static double[] random(int n, Random rnd) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = rnd.nextGaussian();
    }
    return out;
  }

  private static double[] naive(int m, int n, int p, double[] a, boolean transA, double[] b) {
    double[] c = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int k = 0; k < p; k++) {
          s += (transA ? a[k * m + i] : a[i * p + k]) * b[k * n + j];
        }
        c[i * n + j] = s;
      }
    }
    return c;
  }

  @Test
  void productsMatchNaiveDoublePrecisionOnOddShapes() {
    Random rnd = new Random(7);
    for (int[] s : new int[][] {{1, 1, 1}, {7, 5, 3}, {37, 300, 261}, {130, 9, 517}}) {
      for (boolean trans : new boolean[] {false, true}) {
        double[] a = random(s[0] * s[2], rnd);
        double[] b = random(s[2] * s[1], rnd);
        double[] want = naive(s[0], s[1], s[2], a, trans, b);
        for (GemmBackend backend : new GemmBackend[] {torch, GemmBackends.pureJava()}) {
          double[] c = random(s[0] * s[1], rnd); // overwritten, not accumulated
          backend.multiply(s[0], s[1], s[2], a, trans, b, c);
          for (int i = 0; i < c.length; i++) {
            assertThat(c[i]).isCloseTo(want[i], within(1e-12 * s[2] * (1 + Math.abs(want[i]))));
          }
        }
      }
    }
  }
}
