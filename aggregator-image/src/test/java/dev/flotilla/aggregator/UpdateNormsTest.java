package dev.flotilla.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import dev.flotilla.core.adapter.TaskType;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UpdateNormsTest {
  private static FloatTensor random(Random random, int rows, int cols) {
    float[] data = new float[rows * cols];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) random.nextGaussian();
    }
    return new FloatTensor(new int[] {rows, cols}, data);
  }

  @Test
  void matchesTheNormOfTheDenseProduct() {
    Random random = new Random(7);
    int r = 3;
    int k = 11;
    int d = 5;
    LoraModule module = new LoraModule("m", random(random, r, k), random(random, d, r));
    double dense = 0;
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < k; j++) {
        double v = 0;
        for (int t = 0; t < r; t++) {
          v += (double) module.b().get(i, t) * module.a().get(t, j);
        }
        dense += v * v;
      }
    }
    LoraAdapter adapter =
        new LoraAdapter(
            "base",
            TaskType.SEQ_CLS,
            6.0,
            0.0,
            List.of("m"),
            Map.of("m", module),
            List.of(),
            Map.of());
    assertThat(UpdateNorms.updateNorm(adapter)).isCloseTo(2.0 * Math.sqrt(dense), within(1e-9));
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(UpdateNorms.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(UpdateNorms.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    assertThat(UpdateNorms.median(List.of())).isNaN();
  }
}
