package dev.flotilla.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptimizerTest {

  @Test
  void adamWMatchesTheClosedFormUpdate() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray p = manager.create(new float[] {1f, -2f});
      p.setRequiresGradient(true);
      Map<String, NDArray> params = Map.of("p", p);
      double lr = 0.1;
      double wd = 0.01;
      double[] value = {1, -2};
      double[] m = new double[2];
      double[] v = new double[2];
      try (AdamW adam = new AdamW(params, wd)) {
        for (int step = 1; step <= 3; step++) {
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(p.square().sum()); // grad = 2p
          }
          adam.step(lr);
          Gradients.zero(params);
          for (int i = 0; i < 2; i++) {
            double g = 2 * value[i];
            value[i] *= 1 - lr * wd;
            m[i] = 0.9 * m[i] + 0.1 * g;
            v[i] = 0.999 * v[i] + 0.001 * g * g;
            double mHat = m[i] / (1 - Math.pow(0.9, step));
            double vHat = v[i] / (1 - Math.pow(0.999, step));
            value[i] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
          }
        }
        assertThat(adam.steps()).isEqualTo(3);
      }
      float[] actual = p.toFloatArray();
      assertThat((double) actual[0]).isCloseTo(value[0], within(1e-5));
      assertThat((double) actual[1]).isCloseTo(value[1], within(1e-5));
    }
  }

  @Test
  void nonFiniteGradientsAreReportedAndZeroingClearsThem() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray p = manager.create(new float[] {1f, 2f});
      p.setRequiresGradient(true);
      Map<String, NDArray> params = Map.of("p", p);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(p.mul(Float.NaN).sum());
      }
      assertThat(p.getGradient().isNaN().all().getBoolean()).isTrue();
      assertThatThrownBy(() -> Gradients.clip(params, 1.0, 7))
          .isInstanceOf(NonFiniteGradientException.class)
          .hasMessage("non-finite gradient for p at step 7");
      Gradients.zero(params);
      assertThat(p.getGradient().toFloatArray()).containsExactly(0f, 0f);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(p.mul(3f).sum());
      }
      assertThat(p.getGradient().toFloatArray()).containsExactly(3f, 3f);
    }
  }

  @Test
  void clippingScalesToTheMaximumGlobalNorm() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.create(new float[] {1f});
      NDArray b = manager.create(new float[] {1f});
      a.setRequiresGradient(true);
      b.setRequiresGradient(true);
      Map<String, NDArray> params = Map.of("a", a, "b", b);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(a.mul(3f).add(b.mul(4f)).sum());
      }
      assertThat(Gradients.clip(params, 1.0, 1)).isCloseTo(5.0, within(1e-6));
      assertThat((double) a.getGradient().getFloat()).isCloseTo(0.6, within(1e-5));
      assertThat((double) b.getGradient().getFloat()).isCloseTo(0.8, within(1e-5));
    }
  }

  @Test
  void linearScheduleWarmsUpThenDecaysToZero() {
    LinearSchedule schedule = LinearSchedule.withWarmupRatio(1.0, 0.2, 10);
    assertThat(schedule.warmupSteps()).isEqualTo(2);
    assertThat(schedule.lr(0)).isEqualTo(0.0);
    assertThat(schedule.lr(1)).isEqualTo(0.5);
    assertThat(schedule.lr(2)).isEqualTo(1.0);
    assertThat(schedule.lr(6)).isCloseTo(0.5, within(1e-12));
    assertThat(schedule.lr(10)).isEqualTo(0.0);
    assertThat(LinearSchedule.withWarmupRatio(1.0, 0.0, 4).lr(0)).isEqualTo(1.0);
  }
}
