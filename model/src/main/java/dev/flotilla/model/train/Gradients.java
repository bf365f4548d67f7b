package dev.flotilla.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Map;

/**
 * Gradient bookkeeping around a step: global-norm clipping (as {@code clip_grad_norm_}) with a
 * non-finite check, and zeroing by an explicit fill (PyTorch {@code grad.zero_()}, which also
 * clears NaN/Inf, unlike DJL's {@code g - g}).
 */
final class Gradients {
  private Gradients() {}

  /**
   * The global L2 norm of all gradients; scales them by {@code maxNorm / (norm + 1e-6)} when above
   * {@code maxNorm} (no clipping when {@code maxNorm <= 0}).
   *
   * @throws NonFiniteGradientException when the norm is NaN or infinite (the step is not taken)
   */
  static double clip(Map<String, NDArray> params, double maxNorm, int step) {
    double sumSquares = 0;
    try (NoGrad ignored = new NoGrad()) {
      for (Map.Entry<String, NDArray> entry : params.entrySet()) {
        try (NDArray g = entry.getValue().getGradient();
            NDArray sq = g.square();
            NDArray sum = sq.sum()) {
          double s = sum.getFloat();
          if (!Double.isFinite(s)) {
            throw new NonFiniteGradientException(
                "non-finite gradient for " + entry.getKey() + " at step " + step);
          }
          sumSquares += s;
        }
      }
      double norm = Math.sqrt(sumSquares);
      if (maxNorm > 0 && norm > maxNorm) {
        float factor = (float) (maxNorm / (norm + 1e-6));
        for (NDArray p : params.values()) {
          try (NDArray g = p.getGradient()) {
            g.muli(factor);
          }
        }
      }
      return norm;
    }
  }

  /** Sets every gradient to exactly zero. */
  static void zero(Map<String, NDArray> params) {
    for (NDArray p : params.values()) {
      JniUtils.zeroGrad((PtNDArray) p);
    }
  }
}
