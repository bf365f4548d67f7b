package dev.flotilla.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** Inverted dropout with Java-drawn keep masks. */
class DropoutMasksTest {

  @Test
  void keepsOneMinusPScaledAndIsReproducible() {
    double p = 0.1;
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray ones = manager.ones(new Shape(64, 1000 + 3));
      DropoutMasks.seed(11);
      float[] first = DropoutMasks.apply(ones, p).toFloatArray();
      DropoutMasks.seed(11);
      float[] again = DropoutMasks.apply(ones, p).toFloatArray();
      float[] other = DropoutMasks.apply(ones, p).toFloatArray();

      assertThat(again).containsExactly(first);
      assertThat(other).isNotEqualTo(first);
      float kept = (float) (1 / (1 - p));
      long keptCount = 0;
      for (float v : first) {
        assertThat(v).isIn(0f, kept);
        keptCount += v == 0 ? 0 : 1;
      }
      // 64 192 Bernoulli(0.9) draws: standard deviation of the fraction ≈ 0.0012
      assertThat((double) keptCount / first.length).isCloseTo(1 - p, within(0.006));
    }
  }

  @Test
  void gradientFlowsThroughKeptElementsOnly() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.arange(1f, 2001f).reshape(2, 1000);
      x.setRequiresGradient(true);
      float[] out;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray y = DropoutMasks.apply(x, 0.5);
        out = y.toFloatArray();
        collector.backward(y.sum());
      }
      float[] grad = x.getGradient().toFloatArray();
      for (int i = 0; i < out.length; i++) {
        assertThat(out[i]).isEqualTo(out[i] == 0 ? 0f : 2f * (i + 1));
        assertThat(grad[i]).isEqualTo(out[i] == 0 ? 0f : 2f);
      }
    }
  }
}
