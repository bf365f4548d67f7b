package dev.flotilla.core.safetensors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.flotilla.core.adapter.FloatTensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes float tensors as a safetensors file, streaming the data through a 1 MiB buffer (the file
 * is never built in memory). Output is deterministic: tensors are laid out in name order, the
 * header is compact JSON with {@code __metadata__} first (always holding {@code format: pt}) and is
 * padded with spaces to a multiple of 8 bytes, so identical inputs give identical bytes. Values
 * must be finite and representable in the chosen dtype.
 */
public final class SafetensorsWriter {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private SafetensorsWriter() {}

  /** Writes {@code tensors} as F32 to {@code out}, with {@code format: pt} metadata. */
  public static void write(OutputStream out, Map<String, FloatTensor> tensors) throws IOException {
    write(out, tensors, Map.of(), DType.F32, "<stream>");
  }

  /**
   * Writes {@code tensors} to {@code out} (not closed); everything is validated before the first
   * byte is written.
   *
   * @param metadata extra {@code __metadata__} entries ({@code format} defaults to {@code pt})
   * @param dtype the stored type: F32, F16 or BF16
   * @param target the label used in error messages
   * @throws SafetensorsException when a name is empty or reserved, or a value is NaN, infinite or
   *     overflows {@code dtype}
   */
  public static void write(
      OutputStream out,
      Map<String, FloatTensor> tensors,
      Map<String, String> metadata,
      DType dtype,
      String target)
      throws IOException {
    if (!dtype.isFloatConvertible()) {
      throw new IllegalArgumentException("can only write F32, F16 or BF16, not " + dtype);
    }
    Map<String, FloatTensor> sorted = new TreeMap<>(tensors);
    for (Map.Entry<String, FloatTensor> entry : sorted.entrySet()) {
      checkTensor(target, entry.getKey(), entry.getValue(), dtype);
    }
    out.write(header(sorted, metadata, dtype));
    byte[] bytes = new byte[TensorCodec.CHUNK_BYTES];
    ByteBuffer chunk = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int perChunk = TensorCodec.CHUNK_BYTES / dtype.size();
    short[] scratch = dtype.size() == 2 ? new short[perChunk] : null;
    for (FloatTensor tensor : sorted.values()) {
      float[] data = tensor.data();
      for (int from = 0; from < data.length; from += perChunk) {
        int count = Math.min(perChunk, data.length - from);
        chunk.clear();
        TensorCodec.encode(data, from, count, dtype, chunk, scratch);
        out.write(bytes, 0, chunk.position());
      }
    }
    out.flush();
  }

  /**
   * Writes {@code tensors} to {@code file} atomically: into a temporary sibling first, then moved
   * over {@code file}, so readers never see a partial file.
   */
  public static void write(
      Path file, Map<String, FloatTensor> tensors, Map<String, String> metadata, DType dtype)
      throws IOException {
    Path absolute = file.toAbsolutePath();
    Path temp =
        Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(temp)) {
        write(out, tensors, metadata, dtype, file.toString());
      }
      Files.move(
          temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void checkTensor(String target, String name, FloatTensor tensor, DType dtype)
      throws SafetensorsException {
    if (name.isEmpty() || name.equals(SafetensorsHeader.METADATA_KEY)) {
      throw SafetensorsException.tensor(target, name, "tensor name is empty or reserved");
    }
    float[] data = tensor.data();
    for (int i = 0; i < data.length; i++) {
      float value = data[i];
      if (!TensorCodec.representable(value, dtype)) {
        long[] shape = Arrays.stream(tensor.shape()).asLongStream().toArray();
        String problem =
            Float.isFinite(value)
                ? "value " + value + " overflows " + dtype
                : "non-finite value " + value;
        throw SafetensorsException.tensor(
            target,
            name,
            problem + " at element " + i + " (index " + TensorCodec.multiIndex(i, shape) + ")");
      }
    }
  }

  private static byte[] header(
      Map<String, FloatTensor> sorted, Map<String, String> metadata, DType dtype)
      throws IOException {
    Map<String, String> meta = new TreeMap<>(metadata);
    meta.putIfAbsent("format", "pt");
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    json.write(new byte[8]);
    try (JsonGenerator g = JSON.createGenerator(json)) {
      g.writeStartObject();
      g.writeObjectFieldStart(SafetensorsHeader.METADATA_KEY);
      for (Map.Entry<String, String> entry : meta.entrySet()) {
        g.writeStringField(entry.getKey(), entry.getValue());
      }
      g.writeEndObject();
      long offset = 0;
      for (Map.Entry<String, FloatTensor> entry : sorted.entrySet()) {
        FloatTensor tensor = entry.getValue();
        long bytes = (long) tensor.data().length * dtype.size();
        g.writeObjectFieldStart(entry.getKey());
        g.writeStringField("dtype", dtype.name());
        g.writeArrayFieldStart("shape");
        for (int dim : tensor.shape()) {
          g.writeNumber(dim);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("data_offsets");
        g.writeNumber(offset);
        g.writeNumber(offset + bytes);
        g.writeEndArray();
        g.writeEndObject();
        offset += bytes;
      }
      g.writeEndObject();
    }
    int length = json.size() - 8;
    int padding = (8 - length % 8) % 8;
    for (int i = 0; i < padding; i++) {
      json.write(' ');
    }
    byte[] header = json.toByteArray();
    ByteBuffer.wrap(header, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length + padding);
    return header;
  }
}
