package dev.flotilla.core.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds safetensors bytes by hand for tests: length prefix, JSON header, raw data. */
final class RawSafetensors {
  private RawSafetensors() {}

  static byte[] file(String json, byte[] data) {
    return file(json.getBytes(StandardCharsets.UTF_8), data);
  }

  static byte[] file(byte[] json, byte[] data) {
    ByteBuffer out = ByteBuffer.allocate(8 + json.length + data.length);
    out.order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).put(json).put(data);
    return out.array();
  }

  static byte[] shorts(int... values) {
    ByteBuffer out = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      out.putShort((short) v);
    }
    return out.array();
  }

  static byte[] floats(float... values) {
    ByteBuffer out = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      out.putFloat(v);
    }
    return out.array();
  }

  static byte[] floatBits(int... bits) {
    ByteBuffer out = ByteBuffer.allocate(bits.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int b : bits) {
      out.putInt(b);
    }
    return out.array();
  }
}
