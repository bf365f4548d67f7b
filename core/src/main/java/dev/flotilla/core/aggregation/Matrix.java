package dev.flotilla.core.aggregation;

import java.util.Arrays;

/** A dense row-major double matrix used by the aggregation kernels (package-private). */
final class Matrix {
  private final int rows;
  private final int cols;
  private final double[] data;

  /** While pinned ({@link DenseKernels#pin}): the native copy the OpenBLAS products read. */
  private OpenBlas.NativeCopy nativeCopy;

  Matrix(int rows, int cols) {
    this(rows, cols, new double[Math.multiplyExact(rows, cols)]);
  }

  Matrix(int rows, int cols, double[] data) {
    if ((long) rows * cols != data.length) {
      throw new IllegalArgumentException(rows + "x" + cols + " needs " + (long) rows * cols);
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }

  int rows() {
    return rows;
  }

  int cols() {
    return cols;
  }

  /** The row-major elements, shared: writes change this matrix. */
  double[] data() {
    return data;
  }

  /**
   * Lets the OpenBLAS products read {@code copy} (a native copy of {@link #data}) until the
   * returned handle is closed, which also frees the copy.
   */
  Pinned attach(OpenBlas.NativeCopy copy) {
    if (nativeCopy != null) {
      throw new IllegalStateException(this + " is already pinned");
    }
    nativeCopy = copy;
    return () -> {
      nativeCopy = null;
      copy.close();
    };
  }

  /** The native copy while pinned, else {@code null}. */
  OpenBlas.NativeCopy nativeCopy() {
    return nativeCopy;
  }

  double get(int r, int c) {
    return data[r * cols + c];
  }

  void set(int r, int c, double v) {
    data[r * cols + c] = v;
  }

  /** The first {@code n} columns as a new matrix. */
  Matrix leadingColumns(int n) {
    Matrix out = new Matrix(rows, n);
    for (int r = 0; r < rows; r++) {
      System.arraycopy(data, r * cols, out.data, r * n, n);
    }
    return out;
  }

  /** Columns {@code [from, to)} as a new matrix. */
  Matrix columns(int from, int to) {
    Matrix out = new Matrix(rows, to - from);
    for (int r = 0; r < rows; r++) {
      System.arraycopy(data, r * cols + from, out.data, r * out.cols, to - from);
    }
    return out;
  }

  /** Columns of {@code this} followed by columns of {@code other} (same row count). */
  Matrix appendColumns(Matrix other) {
    Matrix out = new Matrix(rows, cols + other.cols);
    for (int r = 0; r < rows; r++) {
      System.arraycopy(data, r * cols, out.data, r * out.cols, cols);
      System.arraycopy(other.data, r * other.cols, out.data, r * out.cols + cols, other.cols);
    }
    return out;
  }

  Matrix transpose() {
    Matrix out = new Matrix(cols, rows);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out.data[c * rows + r] = data[r * cols + c];
      }
    }
    return out;
  }

  Matrix scaled(double factor) {
    Matrix out = new Matrix(rows, cols, data.clone());
    for (int i = 0; i < out.data.length; i++) {
      out.data[i] *= factor;
    }
    return out;
  }

  /** {@code this += factor * other} in place. */
  void addScaled(Matrix other, double factor) {
    for (int i = 0; i < data.length; i++) {
      data[i] += factor * other.data[i];
    }
  }

  /** Multiplies column {@code c} by {@code factors[c]} in place. */
  void scaleColumns(double[] factors) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      for (int c = 0; c < cols; c++) {
        data[o + c] *= factors[c];
      }
    }
  }

  @Override
  public String toString() {
    return "Matrix[" + rows + "x" + cols + "]" + (rows * cols <= 16 ? Arrays.toString(data) : "");
  }
}
