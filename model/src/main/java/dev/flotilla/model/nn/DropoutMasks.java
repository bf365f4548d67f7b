package dev.flotilla.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Inverted dropout ({@code x · keep / (1 − p)}, keep ~ Bernoulli(1 − p) per element) whose keep
 * masks are drawn in Java on CPU: PyTorch's CPU {@code bernoulli_} draws one mt19937 double per
 * element and took about a fifth of a DistilBERT-size training step, a SplitMix64 stream ({@link
 * SplittableRandom}) is about four times faster. Each element is dropped when a uniform 32-bit draw
 * is below {@code ceil(p · 2³²)}, so the drop probability is p to within 2⁻³². Seeded by {@link
 * #seed}; on a GPU PyTorch's own dropout is used.
 */
public final class DropoutMasks {
  private static SplittableRandom random = new SplittableRandom(0);
  private static ByteBuffer scratch = ByteBuffer.allocateDirect(0);

  private DropoutMasks() {}

  /** Restarts the mask stream (the trainer seeds it once per run). */
  public static synchronized void seed(long seed) {
    random = new SplittableRandom(seed);
  }

  /** {@code x} with dropout of rate {@code p} applied (training mode). */
  static NDArray apply(NDArray x, double p) {
    if (x.getDevice().isGpu() || p >= 1) {
      return Dropout.dropout(x, (float) p, true).head();
    }
    try (NDArray keep = keepMask(x, p)) {
      return x.mul(keep);
    }
  }

  /** A float mask shaped like {@code x}: {@code 1 / (1 − p)} where kept, 0 where dropped. */
  private static synchronized NDArray keepMask(NDArray x, double p) {
    Shape shape = x.getShape();
    ByteBuffer bytes = draw(Math.toIntExact(shape.size()), p);
    NDArray keep;
    // The byte tensor aliases the scratch buffer; the float conversion is PyTorch-owned memory,
    // safe for autograd to keep after the scratch buffer is reused.
    try (NDArray drawn = x.getManager().create(bytes, shape, DataType.UINT8)) {
      keep = drawn.toType(x.getDataType(), false);
    }
    try (NDArray scale =
        x.getManager().full(new Shape(), (float) (1 / (1 - p)), keep.getDataType())) {
      keep.muli(scale);
    }
    return keep;
  }

  /** {@code n} bytes, each 1 with probability 1 − p (two 32-bit draws per 64-bit random). */
  private static ByteBuffer draw(int n, double p) {
    if (scratch.capacity() < n) {
      scratch = ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder());
    }
    long threshold = (long) Math.ceil(p * 0x1p32);
    int i = 0;
    for (; i + Long.BYTES <= n; i += Long.BYTES) {
      long bits = 0;
      for (int pair = 0; pair < Long.BYTES / 2; pair++) {
        long r = random.nextLong();
        // keep ⇔ draw ≥ threshold; both are < 2³², so the sign of the difference decides
        bits |= ((((r & 0xFFFFFFFFL) - threshold) >>> 63) ^ 1L) << (16 * pair);
        bits |= ((((r >>> 32) - threshold) >>> 63) ^ 1L) << (16 * pair + 8);
      }
      scratch.putLong(i, bits);
    }
    for (; i < n; i++) {
      scratch.put(i, (byte) ((((random.nextLong() >>> 32) - threshold) >>> 63) ^ 1L));
    }
    return scratch.duplicate().order(ByteOrder.nativeOrder()).position(0).limit(n);
  }
}
