package dev.flotilla.trainer.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.safetensors.SafetensorsReader;
import dev.flotilla.core.safetensors.TensorInfo;
import dev.flotilla.trainer.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a Hugging Face directory: {@code model.safetensors}, or shards listed by {@code
 * model.safetensors.index.json}. F16/BF16 are converted to float32 by core's streaming reader.
 */
public final class SafetensorsCheckpoint implements Checkpoint {
  private final Path dir;
  private final Map<String, SafetensorsReader> readers = new LinkedHashMap<>();
  private final Map<String, SafetensorsReader> byTensor = new LinkedHashMap<>();

  private SafetensorsCheckpoint(Path dir) {
    this.dir = dir;
  }

  /** Opens the checkpoint of {@code modelDir}; errors name the file. */
  public static SafetensorsCheckpoint open(Path modelDir) {
    SafetensorsCheckpoint checkpoint = new SafetensorsCheckpoint(modelDir);
    try {
      Path single = modelDir.resolve("model.safetensors");
      Path index = modelDir.resolve("model.safetensors.index.json");
      if (Files.isRegularFile(single)) {
        checkpoint.addShard(single);
      } else if (Files.isRegularFile(index)) {
        checkpoint.addIndex(index);
      } else {
        throw new BadInputException(
            "model directory "
                + modelDir
                + " has neither model.safetensors nor model.safetensors.index.json");
      }
      return checkpoint;
    } catch (RuntimeException e) {
      checkpoint.close();
      throw e;
    }
  }

  private void addIndex(Path index) {
    JsonNode map;
    try {
      map = new ObjectMapper().readTree(index.toFile()).path("weight_map");
    } catch (IOException e) {
      throw new BadInputException(index + ": not valid JSON: " + e.getMessage(), e);
    }
    if (!map.isObject() || map.isEmpty()) {
      throw new BadInputException(index + ": missing or empty weight_map");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String shard = entry.getValue().asText();
      if (shard.contains("/") || shard.contains("\\") || shard.startsWith(".")) {
        throw new BadInputException(index + ": shard name " + shard + " is not a plain file name");
      }
      SafetensorsReader reader = readers.get(shard);
      if (reader == null) {
        addShard(dir.resolve(shard));
        reader = readers.get(shard);
      }
      if (!reader.contains(entry.getKey())) {
        throw new BadInputException(
            index + ": tensor " + entry.getKey() + " is mapped to " + shard + " which lacks it");
      }
    }
  }

  private void addShard(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException("missing weight file " + file);
    }
    SafetensorsReader reader;
    try {
      reader = SafetensorsReader.open(file);
    } catch (IOException e) {
      throw new BadInputException(file + ": " + e.getMessage(), e);
    }
    readers.put(file.getFileName().toString(), reader);
    for (TensorInfo info : reader.tensors()) {
      if (byTensor.putIfAbsent(info.name(), reader) != null) {
        throw new BadInputException(file + ": tensor " + info.name() + " appears in two shards");
      }
    }
  }

  @Override
  public Set<String> names() {
    return Collections.unmodifiableSet(byTensor.keySet());
  }

  @Override
  public FloatTensor read(String name) {
    SafetensorsReader reader = byTensor.get(name);
    if (reader == null) {
      throw new BadInputException(location() + ": missing tensor " + name);
    }
    try {
      return reader.read(name);
    } catch (IOException e) {
      throw new BadInputException(reader.source() + ": tensor " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String location() {
    return dir.toString();
  }

  @Override
  public void close() {
    for (SafetensorsReader reader : readers.values()) {
      try {
        reader.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    readers.clear();
  }
}
