package dev.flotilla.experiments;

import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.model.nn.Checkpoint;
import dev.flotilla.model.nn.SafetensorsCheckpoint;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The base model's checkpoint read once and kept in memory, so that building a client's model (one
 * per client and round) copies tensors instead of re-reading and converting the file. The tensors
 * are the ones {@link SafetensorsCheckpoint} returns, so the numerics are unchanged.
 */
final class CachedCheckpoint implements Checkpoint {
  private final Map<String, FloatTensor> tensors = new ConcurrentHashMap<>();
  private final Set<String> names;
  private final String location;

  CachedCheckpoint(Path modelDir) {
    try (SafetensorsCheckpoint file = SafetensorsCheckpoint.open(modelDir)) {
      names = Set.copyOf(file.names());
      location = file.location();
      for (String name : names) {
        tensors.put(name, file.read(name));
      }
    }
  }

  @Override
  public Set<String> names() {
    return names;
  }

  @Override
  public FloatTensor read(String name) {
    FloatTensor tensor = tensors.get(name);
    if (tensor == null) {
      throw new IllegalArgumentException(location + ": no tensor " + name);
    }
    return tensor;
  }

  @Override
  public String location() {
    return location;
  }

  /** Nothing to release: the tensors live as long as this object. */
  @Override
  public void close() {}
}
