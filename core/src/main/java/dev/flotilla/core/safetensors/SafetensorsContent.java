package dev.flotilla.core.safetensors;

import dev.flotilla.core.adapter.FloatTensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * All tensors of a safetensors file, converted to float32, with its {@code __metadata__}.
 *
 * @param metadata the string-to-string metadata, in key order
 * @param tensors the tensors keyed by name, in name order
 */
public record SafetensorsContent(Map<String, String> metadata, Map<String, FloatTensor> tensors) {
  /** Copies both maps into immutable, key-ordered views. */
  public SafetensorsContent {
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(metadata)));
    tensors = Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(tensors)));
  }
}
