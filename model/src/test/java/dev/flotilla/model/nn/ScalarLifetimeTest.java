package dev.flotilla.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.adapter.LoraModule;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression test for DJL's {@code mul(Number)} use-after-free on autograd paths (see {@link Ops}):
 * gradients stay exact when the garbage collector runs and reuses freed direct buffers (filled with
 * NaN) between the forward and the backward pass.
 */
class ScalarLifetimeTest {

  private static void churnDirectMemory() {
    List<ByteBuffer> junk = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      System.gc();
      for (int i = 0; i < 2000; i++) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
        buffer.putFloat(0, Float.NaN);
        junk.add(buffer);
      }
    }
  }

  @Test
  void scaledOpsKeepTheirConstantsAliveForBackward() {
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int trial = 0; trial < 5; trial++) {
        NDArray p = manager.create(new float[] {1f, 2f});
        p.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray y = Ops.shift(Ops.scale(p, 3f), 1f).sum();
          churnDirectMemory();
          collector.backward(y);
        }
        assertThat(p.getGradient().toFloatArray()).containsExactly(3f, 3f);
      }
    }
  }

  @Test
  void loraBranchGradientIsExactUnderGcPressure() {
    try (NDManager manager = NDManager.newBaseManager()) {
      LoraLinear layer =
          new LoraLinear("m", manager.create(new float[] {1, 0, 0, 1}, new Shape(2, 2)), null);
      LoraSettings settings = new LoraSettings(1, 4, 0, List.of("m"), 1);
      layer.attach(
          manager,
          new LoraModule(
              "m",
              new FloatTensor(new int[] {1, 2}, new float[] {1, 1}),
              new FloatTensor(new int[] {2, 1}, new float[] {0, 0})),
          settings);
      NDArray x = manager.create(new float[] {1, 2}, new Shape(1, 2));
      for (int trial = 0; trial < 5; trial++) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray y = layer.forward(x, true).sum();
          churnDirectMemory();
          collector.backward(y);
        }
        // dL/dB = scaling · (A·x) = 4 · 3 for both outputs
        assertThat(layer.loraB().getGradient().toFloatArray()).containsExactly(12f, 12f);
        JniUtils.zeroGrad((PtNDArray) layer.loraA());
        JniUtils.zeroGrad((PtNDArray) layer.loraB());
      }
    }
  }
}
