package dev.flotilla.core.safetensors;

import dev.flotilla.core.adapter.FloatTensor;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A streaming reader of safetensors files: it validates the header on open, then reads one tensor
 * at a time from a {@link FileChannel} through a fixed 1 MiB buffer, so files may exceed 2 GiB and
 * are never held in memory whole. F32, F16 and BF16 tensors are returned as float32 (exactly).
 * Reads are thread-safe; close the reader to release the file.
 */
public final class SafetensorsReader implements Closeable {
  /**
   * The most elements one tensor may have: a Java array holds at most about 2^31-1 values (in
   * practice {@code 2^31-9}).
   */
  public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  /**
   * Reading options.
   *
   * @param maxHeaderBytes the cap on the JSON header size, checked before allocating it
   * @param requireFinite whether a NaN or infinite value makes a tensor invalid
   */
  public record Options(long maxHeaderBytes, boolean requireFinite) {
    /** 100 MiB header cap, finite values required. */
    public static final Options DEFAULT =
        new Options(SafetensorsHeader.DEFAULT_MAX_HEADER_BYTES, true);

    /** Checks the cap. */
    public Options {
      if (maxHeaderBytes < 2) {
        throw new IllegalArgumentException("maxHeaderBytes must be at least 2: " + maxHeaderBytes);
      }
    }

    /** These options, but accepting NaN and infinite values. */
    public Options allowingNonFinite() {
      return new Options(maxHeaderBytes, false);
    }
  }

  private final String source;
  private final FileChannel channel;
  private final SafetensorsHeader header;
  private final Options options;
  private ByteBuffer chunk;
  private short[] scratch;

  private SafetensorsReader(
      String source, FileChannel channel, SafetensorsHeader header, Options options) {
    this.source = source;
    this.channel = channel;
    this.header = header;
    this.options = options;
  }

  /** Opens and validates {@code file} with {@link Options#DEFAULT}. */
  public static SafetensorsReader open(Path file) throws IOException {
    return open(file, Options.DEFAULT);
  }

  /**
   * Opens {@code file} and validates its header (bounds, JSON, dtypes, shapes, offsets, coverage).
   *
   * @throws SafetensorsException when the file is not a valid safetensors file
   */
  public static SafetensorsReader open(Path file, Options options) throws IOException {
    String source = file.toString();
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      long size = channel.size();
      if (size < 8) {
        throw SafetensorsException.file(
            source, "file of " + size + " bytes is too short for the 8-byte header length");
      }
      ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, prefix, 0, source, null);
      long length = prefix.getLong(0);
      int headerLength =
          SafetensorsHeader.checkHeaderLength(source, length, options.maxHeaderBytes(), size - 8);
      ByteBuffer json = ByteBuffer.allocate(headerLength);
      readFully(channel, json, 8, source, null);
      SafetensorsHeader header =
          SafetensorsHeader.parse(source, json.array(), size - 8 - headerLength);
      return new SafetensorsReader(source, channel, header, options);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Reads every tensor of a safetensors stream of {@code length} bytes (e.g. an object-storage
   * download whose size was stated beforehand) in one sequential pass, without a temporary file,
   * validating as {@link #open(Path, Options)} does. The header must describe exactly {@code
   * length} bytes, so nothing larger than the stream is ever allocated however large a tensor the
   * header declares; the stream must end there. The stream is not closed.
   *
   * @param length the stream's size in bytes
   * @param source the label used in error messages (e.g. the object key)
   */
  public static SafetensorsContent readAll(
      InputStream in, long length, String source, Options options) throws IOException {
    if (length < 8) {
      throw SafetensorsException.file(
          source, "file of " + length + " bytes is too short for the 8-byte header length");
    }
    byte[] prefix = in.readNBytes(8);
    if (prefix.length < 8) {
      throw SafetensorsException.file(
          source, "stream ended after " + prefix.length + " bytes, inside the header length");
    }
    long headerField = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getLong();
    int headerLength =
        SafetensorsHeader.checkHeaderLength(
            source, headerField, options.maxHeaderBytes(), length - 8);
    byte[] json = in.readNBytes(headerLength);
    if (json.length < headerLength) {
      throw SafetensorsException.file(
          source,
          "stream ended inside the header (" + json.length + " of " + headerLength + " bytes)");
    }
    SafetensorsHeader header = SafetensorsHeader.parse(source, json, length - 8 - headerLength);
    byte[] bytes = new byte[TensorCodec.CHUNK_BYTES];
    ByteBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    short[] scratch = new short[TensorCodec.CHUNK_BYTES / 2];
    Map<String, FloatTensor> tensors = new TreeMap<>();
    for (TensorInfo info : header.tensorsByOffset()) {
      float[] data = allocate(source, info);
      long remaining = info.byteLength();
      int filled = 0;
      while (remaining > 0) {
        int n = (int) Math.min(bytes.length, remaining);
        int got = in.readNBytes(bytes, 0, n);
        if (got < n) {
          throw SafetensorsException.tensor(
              source,
              info.name(),
              "stream ended after "
                  + (info.byteLength() - remaining + got)
                  + " of its "
                  + info.byteLength()
                  + " bytes");
        }
        view.clear().limit(n);
        filled += TensorCodec.decode(view, info.dtype(), data, filled, scratch);
        remaining -= n;
      }
      tensors.put(info.name(), finish(source, info, data, options));
    }
    if (in.read() >= 0) {
      throw SafetensorsException.file(
          source, "stream continues after the last tensor (the data buffer must end there)");
    }
    return new SafetensorsContent(header.metadata(), tensors);
  }

  /** The file (or label) this reader reads. */
  public String source() {
    return source;
  }

  /** The validated header. */
  public SafetensorsHeader header() {
    return header;
  }

  /** All tensor entries, in name order. */
  public List<TensorInfo> tensors() {
    return new ArrayList<>(header.tensors().values());
  }

  /** The {@code __metadata__} map. */
  public Map<String, String> metadata() {
    return header.metadata();
  }

  /** Whether the file holds a tensor named {@code name}. */
  public boolean contains(String name) {
    return header.tensors().containsKey(name);
  }

  /**
   * The entry of tensor {@code name}.
   *
   * @throws SafetensorsException when there is none
   */
  public TensorInfo info(String name) throws SafetensorsException {
    TensorInfo info = header.tensors().get(name);
    if (info == null) {
      throw SafetensorsException.tensor(source, name, "no such tensor in the file");
    }
    return info;
  }

  /**
   * Reads tensor {@code name} as float32, streaming it from the file.
   *
   * @throws SafetensorsException when it does not exist, is not F32/F16/BF16, has more than {@link
   *     #MAX_ELEMENTS} elements, or (when required) holds a NaN or infinite value
   */
  public synchronized FloatTensor read(String name) throws IOException {
    TensorInfo info = info(name);
    float[] data = allocate(source, info);
    if (chunk == null) {
      chunk = TensorCodec.newDirectChunk();
      scratch = new short[TensorCodec.CHUNK_BYTES / 2];
    }
    long position = header.dataOffset() + info.begin();
    long remaining = info.byteLength();
    int filled = 0;
    while (remaining > 0) {
      int n = (int) Math.min(chunk.capacity(), remaining);
      chunk.clear().limit(n);
      readFully(channel, chunk, position, source, info.name());
      chunk.flip();
      filled += TensorCodec.decode(chunk, info.dtype(), data, filled, scratch);
      position += n;
      remaining -= n;
    }
    return finish(source, info, data, options);
  }

  /** Reads every tensor, in name order. */
  public Map<String, FloatTensor> readAll() throws IOException {
    Map<String, FloatTensor> all = new TreeMap<>();
    for (String name : header.tensors().keySet()) {
      all.put(name, read(name));
    }
    return all;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private static float[] allocate(String source, TensorInfo info) throws SafetensorsException {
    if (!info.dtype().isFloatConvertible()) {
      throw SafetensorsException.tensor(
          source,
          info.name(),
          "dtype " + info.dtype() + " cannot be read as float32 (only F32, F16 and BF16 can)");
    }
    long elements = info.elementCount();
    if (elements > MAX_ELEMENTS) {
      throw SafetensorsException.tensor(
          source,
          info.name(),
          "has "
              + elements
              + " elements; a single tensor is limited to 2^31-1 floats (a Java array holds at"
              + " most "
              + MAX_ELEMENTS
              + ")");
    }
    for (long dim : info.shape()) {
      if (dim > Integer.MAX_VALUE) {
        throw SafetensorsException.tensor(
            source, info.name(), "dimension " + dim + " exceeds 2^31-1");
      }
    }
    return new float[(int) elements];
  }

  private static FloatTensor finish(String source, TensorInfo info, float[] data, Options options)
      throws SafetensorsException {
    if (options.requireFinite()) {
      int bad = TensorCodec.firstNonFinite(data);
      if (bad >= 0) {
        throw SafetensorsException.tensor(
            source,
            info.name(),
            "non-finite value "
                + data[bad]
                + " at element "
                + bad
                + " (index "
                + TensorCodec.multiIndex(bad, info.shape())
                + ")");
      }
    }
    int[] shape = Arrays.stream(info.shape()).mapToInt(Math::toIntExact).toArray();
    return new FloatTensor(shape, data);
  }

  private static void readFully(
      FileChannel channel, ByteBuffer buffer, long position, String source, String tensor)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, at);
      if (read < 0) {
        String problem = "file ended at byte " + at + " (truncated while open?)";
        throw tensor == null
            ? SafetensorsException.file(source, problem)
            : SafetensorsException.tensor(source, tensor, problem);
      }
      at += read;
    }
  }
}
