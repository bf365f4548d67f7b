package dev.flotilla.trainer.importer;

import dev.flotilla.core.adapter.FloatTensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads float32 variables of a TensorFlow checkpoint (tensor bundle): the {@code .index} file is a
 * LevelDB-format SSTable (48-byte footer with the index block handle and magic {@code
 * 0xdb4775248b80fb57}; blocks of prefix-compressed entries followed by a 5-byte trailer) mapping
 * each variable name to a {@code BundleEntryProto} (dtype = 1, shape = 2, shard_id = 3, offset = 4,
 * size = 5); the values are little-endian bytes in the data shard.
 */
public final class TfCheckpointReader {
  static final long MAGIC = 0xdb4775248b80fb57L;
  private static final int FOOTER = 48;
  private static final int DT_FLOAT = 1;

  /** One variable's location in the data shard. */
  public record Entry(String name, int dtype, long[] shape, int shard, long offset, long size) {}

  private TfCheckpointReader() {}

  /** All entries of the index (the header entry with the empty key is skipped). */
  public static List<Entry> readIndex(ByteBuffer index) {
    ByteBuffer file = index.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (file.remaining() < FOOTER) {
      throw new IllegalArgumentException("checkpoint index shorter than its footer");
    }
    int start = file.position();
    int end = file.limit();
    if (file.getLong(end - 8) != MAGIC) {
      throw new IllegalArgumentException("checkpoint index has a bad SSTable magic number");
    }
    ByteBuffer footer = slice(file, end - FOOTER, FOOTER);
    readVarint(footer);
    readVarint(footer);
    long indexOffset = readVarint(footer);
    long indexSize = readVarint(footer);
    List<Entry> entries = new ArrayList<>();
    for (byte[][] kv : blockEntries(block(file, start, indexOffset, indexSize))) {
      ByteBuffer handle = ByteBuffer.wrap(kv[1]);
      long offset = readVarint(handle);
      long size = readVarint(handle);
      for (byte[][] entry : blockEntries(block(file, start, offset, size))) {
        if (entry[0].length == 0) {
          continue;
        }
        entries.add(parseEntry(new String(entry[0], StandardCharsets.UTF_8), entry[1]));
      }
    }
    return entries;
  }

  /** Reads a float32 entry from its data shard. */
  public static FloatTensor readFloat(Entry entry, ByteBuffer shard) {
    if (entry.dtype() != DT_FLOAT) {
      throw new IllegalArgumentException("variable " + entry.name() + " is not float32");
    }
    long count = 1;
    int[] shape = new int[entry.shape().length];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = Math.toIntExact(entry.shape()[i]);
      count *= shape[i];
    }
    if (count * 4 != entry.size()) {
      throw new IllegalArgumentException(
          "variable " + entry.name() + " has " + entry.size() + " bytes for " + count + " floats");
    }
    if (entry.offset() + entry.size() > shard.limit()) {
      throw new IllegalArgumentException(
          "variable " + entry.name() + " lies outside the data file");
    }
    float[] data = new float[Math.toIntExact(count)];
    slice(shard.duplicate(), (int) entry.offset(), (int) entry.size())
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(data);
    return new FloatTensor(shape, data);
  }

  private static Entry parseEntry(String name, byte[] value) {
    ProtobufReader reader = new ProtobufReader(ByteBuffer.wrap(value));
    int dtype = 0;
    List<Long> dims = new ArrayList<>();
    int shard = 0;
    long offset = 0;
    long size = 0;
    while (reader.next()) {
      switch (reader.field()) {
        case 1 -> dtype = (int) reader.varint();
        case 2 -> {
          ProtobufReader shape = reader.message();
          while (shape.next()) {
            if (shape.field() == 2) {
              ProtobufReader dim = shape.message();
              long dimSize = 0;
              while (dim.next()) {
                if (dim.field() == 1) {
                  dimSize = dim.varint();
                } else {
                  dim.skip();
                }
              }
              dims.add(dimSize);
            } else {
              shape.skip();
            }
          }
        }
        case 3 -> shard = (int) reader.varint();
        case 4 -> offset = reader.varint();
        case 5 -> size = reader.varint();
        default -> reader.skip();
      }
    }
    return new Entry(
        name, dtype, dims.stream().mapToLong(Long::longValue).toArray(), shard, offset, size);
  }

  /** The contents of the block at {@code offset} (its 5-byte trailer must say "uncompressed"). */
  private static ByteBuffer block(ByteBuffer file, int start, long offset, long size) {
    if (offset < 0 || size < 0 || start + offset + size + 5 > file.limit()) {
      throw new IllegalArgumentException("SSTable block handle outside the index file");
    }
    byte compression = file.get((int) (start + offset + size));
    if (compression != 0) {
      throw new IllegalArgumentException(
          "SSTable block is compressed (type " + compression + "); only uncompressed is supported");
    }
    return slice(file, (int) (start + offset), (int) size);
  }

  /** Decodes the prefix-compressed key/value entries of a block, in order. */
  private static List<byte[][]> blockEntries(ByteBuffer block) {
    block.order(ByteOrder.LITTLE_ENDIAN);
    int limit = block.limit();
    int restarts = block.getInt(limit - 4);
    int dataEnd = limit - 4 - 4 * restarts;
    if (restarts < 0 || dataEnd < 0) {
      throw new IllegalArgumentException("corrupt SSTable block restart array");
    }
    ByteBuffer data = slice(block, 0, dataEnd);
    List<byte[][]> entries = new ArrayList<>();
    byte[] previous = new byte[0];
    while (data.hasRemaining()) {
      int shared = (int) readVarint(data);
      int unshared = (int) readVarint(data);
      int valueLength = (int) readVarint(data);
      if (shared > previous.length || unshared + valueLength > data.remaining()) {
        throw new IllegalArgumentException("corrupt SSTable block entry");
      }
      ByteArrayOutputStream key = new ByteArrayOutputStream(shared + unshared);
      key.write(previous, 0, shared);
      byte[] tail = new byte[unshared];
      data.get(tail);
      key.write(tail, 0, unshared);
      byte[] value = new byte[valueLength];
      data.get(value);
      previous = key.toByteArray();
      entries.add(new byte[][] {previous, value});
    }
    return entries;
  }

  private static ByteBuffer slice(ByteBuffer buffer, int offset, int length) {
    ByteBuffer copy = buffer.duplicate();
    copy.position(offset);
    copy.limit(offset + length);
    return copy.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  static long readVarint(ByteBuffer buffer) {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!buffer.hasRemaining()) {
        throw new IllegalArgumentException("truncated varint in checkpoint index");
      }
      byte b = buffer.get();
      result |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IllegalArgumentException("varint longer than 10 bytes in checkpoint index");
  }
}
