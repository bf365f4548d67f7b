package dev.flotilla.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.flotilla.model.BadInputException;
import java.util.Arrays;

/**
 * Loads named base-model tensors into frozen NDArrays, accepting both prefixed ({@code
 * bert.embeddings…}) and bare ({@code embeddings…}) checkpoint names, and checking shapes.
 */
final class WeightLoader {
  private final Checkpoint checkpoint;
  private final NDManager manager;
  private final String prefix;

  WeightLoader(Checkpoint checkpoint, NDManager manager, String prefix) {
    this.checkpoint = checkpoint;
    this.manager = manager;
    this.prefix = prefix;
  }

  /** Whether the checkpoint has {@code name} (with or without the prefix). */
  boolean has(String name) {
    return resolve(name) != null;
  }

  /** Loads {@code name} (relative to the prefix) and checks its shape. */
  NDArray load(String name, long... shape) {
    String stored = resolve(name);
    if (stored == null) {
      throw new BadInputException(
          checkpoint.location() + ": missing tensor " + prefix + name + " (or " + name + ")");
    }
    return loadExact(stored, shape);
  }

  /** Loads a top-level tensor whose name carries no model prefix (e.g. classifier, lm_head). */
  NDArray loadExact(String stored, long... shape) {
    NDArray tensor = checkpoint.readArray(stored, manager);
    long[] actual = tensor.getShape().getShape();
    if (!Arrays.equals(actual, shape)) {
      tensor.close();
      throw new BadInputException(
          checkpoint.location()
              + ": tensor "
              + stored
              + " has shape "
              + Arrays.toString(actual)
              + ", config.json implies "
              + Arrays.toString(shape));
    }
    return tensor;
  }

  /** Loads a linear layer {@code <name>.weight [out, in]} and {@code <name>.bias [out]}. */
  LoraLinear linear(String name, int in, int out, boolean withBias) {
    NDArray weight = load(name + ".weight", out, in);
    NDArray bias = withBias ? load(name + ".bias", out) : null;
    return new LoraLinear(prefix + name, weight, bias);
  }

  private String resolve(String name) {
    if (checkpoint.names().contains(prefix + name)) {
      return prefix + name;
    }
    if (checkpoint.names().contains(name)) {
      return name;
    }
    return null;
  }
}
