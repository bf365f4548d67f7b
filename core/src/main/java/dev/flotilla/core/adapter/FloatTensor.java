package dev.flotilla.core.adapter;

import java.util.Arrays;

/** A dense float32 tensor in row-major (C) order; the unit every Flotilla component exchanges. */
public final class FloatTensor {
  private final int[] shape;
  private final float[] data;

  /**
   * Wraps {@code data} (not copied) with the given shape.
   *
   * @throws IllegalArgumentException when the shape does not match the data length
   */
  public FloatTensor(int[] shape, float[] data) {
    long n = 1;
    for (int dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n *= dim;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
    }
    this.shape = shape.clone();
    this.data = data;
  }

  /** A zero-filled matrix of {@code rows × cols}. */
  public static FloatTensor zeros(int rows, int cols) {
    return new FloatTensor(new int[] {rows, cols}, new float[Math.multiplyExact(rows, cols)]);
  }

  /** The shape (a copy). */
  public int[] shape() {
    return shape.clone();
  }

  /** Number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** Size of dimension {@code i}. */
  public int dim(int i) {
    return shape[i];
  }

  /** The backing row-major values (not copied: callers must not mutate shared tensors). */
  public float[] data() {
    return data;
  }

  /** Element {@code (row, col)} of a 2-D tensor. */
  public float get(int row, int col) {
    return data[row * shape[1] + col];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatTensor t
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "FloatTensor" + Arrays.toString(shape);
  }
}
