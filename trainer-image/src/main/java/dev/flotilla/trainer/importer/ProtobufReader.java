package dev.flotilla.trainer.importer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A minimal reader of the protocol-buffer wire format over a buffer slice: field tags, varints,
 * fixed 32/64-bit values and length-delimited sub-messages. Enough for ONNX and TensorFlow
 * metadata; malformed input raises {@link IllegalArgumentException}.
 */
final class ProtobufReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private final ByteBuffer buffer;
  private int field;
  private int wireType;

  /** Reads {@code buffer} from its position to its limit. */
  ProtobufReader(ByteBuffer buffer) {
    this.buffer = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Advances to the next field; false at the end of the message. */
  boolean next() {
    if (!buffer.hasRemaining()) {
      return false;
    }
    long tag = readVarint();
    field = (int) (tag >>> 3);
    wireType = (int) (tag & 7);
    if (field == 0) {
      throw new IllegalArgumentException("invalid protobuf field number 0");
    }
    return true;
  }

  int field() {
    return field;
  }

  int wireType() {
    return wireType;
  }

  long varint() {
    expect(VARINT);
    return readVarint();
  }

  /** The current length-delimited field as a buffer slice (no copy). */
  ByteBuffer bytes() {
    expect(LENGTH_DELIMITED);
    long length = readVarint();
    if (length < 0 || length > buffer.remaining()) {
      throw new IllegalArgumentException(
          "protobuf field " + field + " length " + length + " exceeds the message");
    }
    ByteBuffer slice = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
    slice.limit((int) length);
    buffer.position(buffer.position() + (int) length);
    return slice;
  }

  ProtobufReader message() {
    return new ProtobufReader(bytes());
  }

  String string() {
    ByteBuffer slice = bytes();
    byte[] raw = new byte[slice.remaining()];
    slice.get(raw);
    return new String(raw, StandardCharsets.UTF_8);
  }

  float fixed32Float() {
    expect(FIXED32);
    return buffer.getFloat();
  }

  /** Skips the current field's value. */
  void skip() {
    switch (wireType) {
      case VARINT -> readVarint();
      case FIXED64 -> advance(8);
      case LENGTH_DELIMITED -> bytes();
      case FIXED32 -> advance(4);
      default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wireType);
    }
  }

  private void advance(int n) {
    if (buffer.remaining() < n) {
      throw new IllegalArgumentException("truncated protobuf message");
    }
    buffer.position(buffer.position() + n);
  }

  private void expect(int type) {
    if (wireType != type) {
      throw new IllegalArgumentException(
          "protobuf field " + field + " has wire type " + wireType + ", expected " + type);
    }
  }

  private long readVarint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!buffer.hasRemaining()) {
        throw new IllegalArgumentException("truncated protobuf varint");
      }
      byte b = buffer.get();
      result |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IllegalArgumentException("protobuf varint longer than 10 bytes");
  }
}
