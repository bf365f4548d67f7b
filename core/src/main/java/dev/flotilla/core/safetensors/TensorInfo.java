package dev.flotilla.core.safetensors;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor entry of a safetensors header: name, element type, shape and its byte range {@code
 * [begin, end)} relative to the start of the data buffer.
 */
public final class TensorInfo {
  private final String name;
  private final DType dtype;
  private final long[] shape;
  private final long begin;
  private final long end;

  /** Creates an entry; the shape is copied. */
  public TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {
    this.name = Objects.requireNonNull(name, "name");
    this.dtype = Objects.requireNonNull(dtype, "dtype");
    this.shape = shape.clone();
    this.begin = begin;
    this.end = end;
  }

  /** The tensor name. */
  public String name() {
    return name;
  }

  /** The stored element type. */
  public DType dtype() {
    return dtype;
  }

  /** The shape (a copy). */
  public long[] shape() {
    return shape.clone();
  }

  /** Number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** Number of elements: the product of the shape (1 for a scalar). */
  public long elementCount() {
    long n = 1;
    for (long dim : shape) {
      n *= dim;
    }
    return n;
  }

  /** First byte of the tensor, relative to the data buffer. */
  public long begin() {
    return begin;
  }

  /** One past the last byte of the tensor, relative to the data buffer. */
  public long end() {
    return end;
  }

  /** {@code end - begin}. */
  public long byteLength() {
    return end - begin;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorInfo t
        && name.equals(t.name)
        && dtype == t.dtype
        && Arrays.equals(shape, t.shape)
        && begin == t.begin
        && end == t.end;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
  }

  @Override
  public String toString() {
    return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
  }
}
