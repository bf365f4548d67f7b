package dev.flotilla.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.flotilla.core.adapter.FloatTensor;

/** Conversions between core {@link FloatTensor}s and DJL float32 arrays. */
public final class Tensors {
  private Tensors() {}

  /** A new float32 NDArray with the tensor's shape and values. */
  public static NDArray toNd(NDManager manager, FloatTensor tensor) {
    long[] shape = new long[tensor.rank()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = tensor.dim(i);
    }
    return manager.create(tensor.data(), new Shape(shape));
  }

  /** The array's values as a row-major float32 tensor (copied off the device). */
  public static FloatTensor toFloatTensor(NDArray array) {
    NDArray source =
        array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
    long[] shape = source.getShape().getShape();
    int[] dims = new int[shape.length];
    for (int i = 0; i < shape.length; i++) {
      dims[i] = Math.toIntExact(shape[i]);
    }
    return new FloatTensor(dims, source.toFloatArray());
  }
}
