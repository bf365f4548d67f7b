package dev.flotilla.model.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.safetensors.DType;
import dev.flotilla.core.safetensors.HalfFloats;
import dev.flotilla.core.safetensors.SafetensorsException;
import dev.flotilla.core.safetensors.SafetensorsReader;
import dev.flotilla.core.safetensors.TensorInfo;
import dev.flotilla.model.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a Hugging Face directory: {@code model.safetensors}, or shards listed by {@code
 * model.safetensors.index.json}. On CPU {@link #readArray} reads a tensor from the file straight
 * into PyTorch-owned float32 memory (F16/BF16 widened on the way through a 1 MiB buffer), with no
 * model-sized Java heap array or direct buffer: peak RSS and the JVM's direct-memory limit then do
 * not grow with the model; {@link #read} goes through core's streaming reader.
 */
public final class SafetensorsCheckpoint implements Checkpoint {
  private static final int CHUNK_BYTES = 1 << 20;
  private final Path dir;
  private final Map<String, SafetensorsReader> readers = new LinkedHashMap<>();
  private final Map<String, SafetensorsReader> byTensor = new LinkedHashMap<>();
  private final Map<SafetensorsReader, FileChannel> channels = new LinkedHashMap<>();

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
  public NDArray readArray(String name, NDManager manager) {
    SafetensorsReader reader = byTensor.get(name);
    if (reader == null) {
      throw new BadInputException(location() + ": missing tensor " + name);
    }
    TensorInfo info;
    try {
      info = reader.info(name);
    } catch (SafetensorsException e) {
      throw new BadInputException(e.getMessage(), e);
    }
    if (!info.dtype().isFloatConvertible()
        || !Device.cpu().equals(manager.getDevice())
        || ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      return Checkpoint.super.readArray(name, manager);
    }
    NDArray values = manager.create(new Shape(info.shape()), DataType.FLOAT32);
    try {
      ByteBuffer memory = ((PtNDArray) values).toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN);
      long expected = info.elementCount() * Float.BYTES;
      if (!memory.isDirect() || memory.capacity() != expected) {
        throw new IllegalStateException(
            "memory of tensor " + name + " is not a direct view of " + expected + " bytes");
      }
      long position = reader.header().dataOffset() + info.begin();
      if (info.dtype() == DType.F32) {
        fill(reader, memory, position, name);
      } else {
        convert(reader, info, memory, position);
      }
      requireFinite(reader, name, values);
      return values;
    } catch (RuntimeException e) {
      values.close();
      throw e;
    }
  }

  /**
   * Reads {@code memory.remaining()} bytes at {@code position} of the shard into {@code memory}.
   */
  private void fill(SafetensorsReader reader, ByteBuffer memory, long position, String name) {
    FileChannel channel = channel(reader);
    long at = position;
    try {
      while (memory.hasRemaining()) {
        int read = channel.read(memory, at);
        if (read < 0) {
          throw new BadInputException(
              reader.source() + ": tensor " + name + ": file ended at byte " + at);
        }
        at += read;
      }
    } catch (IOException e) {
      throw new BadInputException(reader.source() + ": tensor " + name + ": " + e.getMessage(), e);
    }
  }

  /** Streams an F16/BF16 tensor through a small buffer, widening each value into {@code memory}. */
  private void convert(
      SafetensorsReader reader, TensorInfo info, ByteBuffer memory, long position) {
    ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    boolean bf16 = info.dtype() == DType.BF16;
    long remaining = info.byteLength();
    long at = position;
    int out = 0;
    while (remaining > 0) {
      chunk.clear().limit((int) Math.min(CHUNK_BYTES, remaining));
      fill(reader, chunk, at, info.name());
      chunk.flip();
      while (chunk.hasRemaining()) {
        short bits = chunk.getShort();
        memory.putFloat(out, bf16 ? HalfFloats.bf16ToFloat(bits) : HalfFloats.f16ToFloat(bits));
        out += Float.BYTES;
      }
      at += chunk.limit();
      remaining -= chunk.limit();
    }
  }

  private FileChannel channel(SafetensorsReader reader) {
    return channels.computeIfAbsent(
        reader,
        r -> {
          try {
            return FileChannel.open(Path.of(r.source()), StandardOpenOption.READ);
          } catch (IOException e) {
            throw new BadInputException(r.source() + ": " + e.getMessage(), e);
          }
        });
  }

  /** As core's reader: a NaN or infinite weight is a corrupt checkpoint. */
  private static void requireFinite(SafetensorsReader reader, String name, NDArray values) {
    try (NDArray bad = values.isNaN().logicalOr(values.isInfinite());
        NDArray any = bad.any()) {
      if (!any.getBoolean()) {
        return;
      }
      long first;
      try (NDArray asInt = bad.flatten().toType(DataType.INT32, false);
          NDArray index = asInt.argMax()) {
        first = index.getLong();
      }
      values.close();
      throw new BadInputException(
          reader.source() + ": tensor " + name + ": non-finite value at element " + first);
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
    for (FileChannel channel : channels.values()) {
      try {
        channel.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    channels.clear();
  }
}
