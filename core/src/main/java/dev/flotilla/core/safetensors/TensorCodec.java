package dev.flotilla.core.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Bulk conversion between little-endian tensor bytes and float32 arrays. */
final class TensorCodec {
  /** Chunk size for streaming tensor data: large enough for bulk copies, small for memory. */
  static final int CHUNK_BYTES = 1 << 20;

  private TensorCodec() {}

  /** A little-endian direct buffer of {@link #CHUNK_BYTES}. */
  static ByteBuffer newDirectChunk() {
    return ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Decodes the whole elements between {@code src}'s position and limit into {@code dst} starting
   * at {@code offset}; returns the number of elements decoded. {@code src} must be little-endian.
   */
  static int decode(ByteBuffer src, DType dtype, float[] dst, int offset, short[] scratch) {
    int count = src.remaining() / dtype.size();
    switch (dtype) {
      case F32 -> src.asFloatBuffer().get(dst, offset, count);
      case F16 -> {
        src.asShortBuffer().get(scratch, 0, count);
        for (int i = 0; i < count; i++) {
          dst[offset + i] = HalfFloats.f16ToFloat(scratch[i]);
        }
      }
      case BF16 -> {
        src.asShortBuffer().get(scratch, 0, count);
        for (int i = 0; i < count; i++) {
          dst[offset + i] = HalfFloats.bf16ToFloat(scratch[i]);
        }
      }
      default -> throw new IllegalArgumentException("not a float type: " + dtype);
    }
    return count;
  }

  /**
   * Encodes {@code count} values of {@code src} from {@code offset} into {@code dst} at its
   * position (which advances); {@code dst} must be little-endian with room for them.
   */
  static void encode(
      float[] src, int offset, int count, DType dtype, ByteBuffer dst, short[] scratch) {
    switch (dtype) {
      case F32 -> dst.asFloatBuffer().put(src, offset, count);
      case F16 -> {
        for (int i = 0; i < count; i++) {
          scratch[i] = HalfFloats.floatToF16(src[offset + i]);
        }
        dst.asShortBuffer().put(scratch, 0, count);
      }
      case BF16 -> {
        for (int i = 0; i < count; i++) {
          scratch[i] = HalfFloats.floatToBf16(src[offset + i]);
        }
        dst.asShortBuffer().put(scratch, 0, count);
      }
      default -> throw new IllegalArgumentException("not a float type: " + dtype);
    }
    dst.position(dst.position() + count * dtype.size());
  }

  /**
   * Whether {@code value} is finite and stays finite when rounded to {@code dtype}: below 65520 in
   * magnitude for F16, below the BF16 rounding threshold {@code 0x7F7F8000} for BF16.
   */
  static boolean representable(float value, DType dtype) {
    return switch (dtype) {
      case F16 -> Math.abs(value) < 65520f;
      case BF16 -> (Float.floatToRawIntBits(value) & 0x7FFFFFFF) < 0x7F7F8000;
      default -> Float.isFinite(value);
    };
  }

  /** The index of the first NaN or infinite value of {@code values}, or {@code -1}. */
  static int firstNonFinite(float[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        return i;
      }
    }
    return -1;
  }

  /** Formats flat index {@code index} of a tensor of {@code shape} as a multi-index. */
  static String multiIndex(long index, long[] shape) {
    long[] position = new long[shape.length];
    long rest = index;
    for (int d = shape.length - 1; d >= 0; d--) {
      if (shape[d] > 0) {
        position[d] = rest % shape[d];
        rest /= shape[d];
      }
    }
    return Arrays.toString(position);
  }
}
