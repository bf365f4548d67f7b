package dev.flotilla.core.safetensors;

import java.util.Optional;

/** The element types of the safetensors format, with their size in bytes. */
public enum DType {
  /** Boolean, one byte. */
  BOOL(1),
  /** Unsigned 8-bit integer. */
  U8(1),
  /** Signed 8-bit integer. */
  I8(1),
  /** 8-bit float, 5 exponent and 2 mantissa bits. */
  F8_E5M2(1),
  /** 8-bit float, 4 exponent and 3 mantissa bits. */
  F8_E4M3(1),
  /** Signed 16-bit integer. */
  I16(2),
  /** Unsigned 16-bit integer. */
  U16(2),
  /** IEEE 754 half precision. */
  F16(2),
  /** bfloat16: the upper half of a float32. */
  BF16(2),
  /** Signed 32-bit integer. */
  I32(4),
  /** Unsigned 32-bit integer. */
  U32(4),
  /** IEEE 754 single precision. */
  F32(4),
  /** IEEE 754 double precision. */
  F64(8),
  /** Signed 64-bit integer. */
  I64(8),
  /** Unsigned 64-bit integer. */
  U64(8);

  private final int size;

  DType(int size) {
    this.size = size;
  }

  /** Bytes per element. */
  public int size() {
    return size;
  }

  /** Whether tensors of this type can be read as (or written from) float32 values. */
  public boolean isFloatConvertible() {
    return this == F32 || this == F16 || this == BF16;
  }

  /** The type spelled {@code name} in a safetensors header, if it is one. */
  public static Optional<DType> parse(String name) {
    for (DType type : values()) {
      if (type.name().equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
