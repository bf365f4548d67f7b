package dev.flotilla.core.aggregation;

import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.safetensors.DType;
import dev.flotilla.core.safetensors.SafetensorsContent;
import dev.flotilla.core.safetensors.SafetensorsReader;
import dev.flotilla.core.safetensors.SafetensorsWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A server optimizer's state after a round, kept in object storage with the round so a retried or
 * resumed aggregation continues exactly: moment tensors keyed {@code m:<tensor>} and {@code
 * v:<tensor>} (FlexLoRA's factored momentum: {@code m:<module>.up} and {@code m:<module>.down}),
 * and metadata naming the optimizer and, for FlexLoRA, the certified error of each momentum
 * truncation. Serialised as safetensors (F32).
 *
 * @param optimizer the optimizer that wrote the state
 * @param tensors the moments, by name
 * @param metadata informative entries (certificates), by name
 */
public record OptimizerState(
    ServerOptimizerType optimizer, Map<String, FloatTensor> tensors, Map<String, String> metadata) {

  /** The metadata key naming the optimizer. */
  static final String OPTIMIZER_KEY = "flotilla.server_optimizer";

  /** No state: the first round of an optimizer, or none at all. */
  public static final OptimizerState EMPTY =
      new OptimizerState(ServerOptimizerType.NONE, Map.of(), Map.of());

  /** Copies the maps into name-ordered, unmodifiable views. */
  public OptimizerState {
    tensors = Collections.unmodifiableMap(new TreeMap<>(tensors));
    metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
  }

  /** Whether there is nothing to store. */
  public boolean isEmpty() {
    return tensors.isEmpty();
  }

  /** Tensor {@code name}, when this state was written by {@code type}. */
  Optional<FloatTensor> tensor(ServerOptimizerType type, String name) {
    return type == optimizer ? Optional.ofNullable(tensors.get(name)) : Optional.empty();
  }

  /** The safetensors bytes of this state. */
  public byte[] toBytes() throws IOException {
    Map<String, String> meta = new TreeMap<>(metadata);
    meta.put(OPTIMIZER_KEY, optimizer.name());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SafetensorsWriter.write(out, tensors, meta, DType.F32, "server optimizer state");
    return out.toByteArray();
  }

  /**
   * Parses {@link #toBytes} output; {@code source} names the object in errors.
   *
   * @throws IOException when the bytes are not a state this build wrote
   */
  public static OptimizerState fromBytes(byte[] bytes, String source) throws IOException {
    SafetensorsContent content =
        SafetensorsReader.readAll(
            new ByteArrayInputStream(bytes),
            bytes.length,
            source,
            SafetensorsReader.Options.DEFAULT);
    Map<String, String> meta = new TreeMap<>(content.metadata());
    String name = meta.remove(OPTIMIZER_KEY);
    if (name == null) {
      throw new IOException(source + ": no " + OPTIMIZER_KEY + " metadata");
    }
    meta.remove("format");
    return new OptimizerState(ServerOptimizerType.forName(name), content.tensors(), meta);
  }
}
