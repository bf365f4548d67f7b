package dev.flotilla.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.flotilla.core.adapter.FloatTensor;
import java.util.Set;

/** Named float32 tensors of a model checkpoint, read one at a time. */
public interface Checkpoint extends AutoCloseable {

  /** All tensor names. */
  Set<String> names();

  /** Reads one tensor (converted to float32); fails naming the file when absent or corrupt. */
  FloatTensor read(String name);

  /** Reads one tensor as a float32 array of {@code manager} (same checks as {@link #read}). */
  default NDArray readArray(String name, NDManager manager) {
    return Tensors.toNd(manager, read(name));
  }

  /** Where the tensors come from, for error messages. */
  String location();

  @Override
  void close();
}
