package dev.flotilla.aggregator.linalg;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.flotilla.core.aggregation.GemmBackend;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;

/**
 * A {@link GemmBackend} on PyTorch's CPU matmul through DJL, in float64 (so FlexLoRA's Gram
 * matrices and its optimality certificate keep double precision). Each product copies its operands
 * into native tensors and the result back; the transpose is a strided view, not a copy.
 */
public final class TorchGemm implements GemmBackend, AutoCloseable {
  private final NDManager manager;

  private TorchGemm(NDManager manager) {
    this.manager = manager;
  }

  /**
   * Starts the PyTorch engine (offline, natives from the classpath) with {@code threads} intra-op
   * threads, unless the engine is already running with its own settings.
   *
   * @param cacheDir where DJL unpacks the natives when neither {@code DJL_CACHE_DIR} nor the system
   *     property of that name is set
   */
  public static TorchGemm open(int threads, java.nio.file.Path cacheDir) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    System.setProperty("ai.djl.offline", "true");
    if (System.getenv("DJL_CACHE_DIR") == null && System.getProperty("DJL_CACHE_DIR") == null) {
      System.setProperty("DJL_CACHE_DIR", cacheDir.toString());
      System.setProperty("ENGINE_CACHE_DIR", cacheDir.toString());
    }
    return new TorchGemm(NDManager.newBaseManager(Device.cpu(), "PyTorch"));
  }

  @Override
  public void multiply(
      int m, int n, int p, double[] a, boolean transposeA, double[] b, double[] c) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = scope.create(a, transposeA ? new Shape(p, m) : new Shape(m, p));
      NDArray y = scope.create(b, new Shape(p, n));
      NDArray z = (transposeA ? x.transpose() : x).matMul(y);
      if (z.getDataType() != DataType.FLOAT64) {
        throw new IllegalStateException("PyTorch returned " + z.getDataType() + " for float64");
      }
      ByteBuffer bytes = z.toByteBuffer();
      DoubleBuffer values = bytes.order(ByteOrder.nativeOrder()).asDoubleBuffer();
      values.get(c, 0, m * n);
    }
  }

  @Override
  public String name() {
    return "pytorch-float64";
  }

  @Override
  public void close() {
    manager.close();
  }
}
