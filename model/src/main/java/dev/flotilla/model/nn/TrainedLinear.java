package dev.flotilla.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.core.Linear;
import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.model.BadInputException;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * A fully trained linear layer of the task head (a PEFT {@code modules_to_save} module such as
 * {@code classifier}), initialised from the starting adapter, the checkpoint, or N(0, 0.02).
 */
final class TrainedLinear {
  private final String name;
  private final NDArray weight;
  private final NDArray bias;

  private TrainedLinear(String name, NDArray weight, NDArray bias) {
    this.name = name;
    this.weight = weight;
    this.bias = bias;
    weight.setRequiresGradient(true);
    bias.setRequiresGradient(true);
  }

  /**
   * Chooses the initial values: the starting adapter's tensors, else the checkpoint's when their
   * shapes fit, else Hugging Face's init (weights N(0, 0.02) from {@code seed}, bias 0).
   */
  static TrainedLinear create(
      String name,
      int in,
      int out,
      Map<String, FloatTensor> start,
      Checkpoint checkpoint,
      NDManager manager,
      long seed) {
    FloatTensor w = start.get(name + ".weight");
    FloatTensor b = start.get(name + ".bias");
    if (w == null && checkpoint.names().contains(name + ".weight")) {
      FloatTensor cw = checkpoint.read(name + ".weight");
      if (cw.rank() == 2 && cw.dim(0) == out && cw.dim(1) == in) {
        w = cw;
        b = checkpoint.names().contains(name + ".bias") ? checkpoint.read(name + ".bias") : null;
      }
    }
    if (w == null) {
      Random random = new Random(seed * 7919L + name.hashCode());
      float[] values = new float[out * in];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) (random.nextGaussian() * 0.02);
      }
      w = new FloatTensor(new int[] {out, in}, values);
    }
    if (b == null) {
      b = new FloatTensor(new int[] {out}, new float[out]);
    }
    checkShape(name + ".weight", w, out, in);
    checkShape(name + ".bias", b, out);
    return new TrainedLinear(name, Tensors.toNd(manager, w), Tensors.toNd(manager, b));
  }

  private static void checkShape(String tensor, FloatTensor value, int... shape) {
    if (!Arrays.equals(value.shape(), shape)) {
      throw new BadInputException(
          "starting adapter tensor "
              + tensor
              + " has shape "
              + Arrays.toString(value.shape())
              + ", the model needs "
              + Arrays.toString(shape));
    }
  }

  String name() {
    return name;
  }

  NDArray forward(NDArray x) {
    return Linear.linear(x, weight, bias).head();
  }

  void collect(Map<String, NDArray> into) {
    into.put(name + ".weight", weight);
    into.put(name + ".bias", bias);
  }
}
