package dev.flotilla.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embeddings as in Hugging Face Llama: {@code inv_freq_i = θ^(−2i/D)}, angles
 * duplicated over both halves, {@code x·cos + rotate_half(x)·sin} with {@code rotate_half(x) =
 * [−x₂, x₁]}.
 */
final class Rotary {
  private final NDArray cos;
  private final NDArray sin;
  private final int half;

  /** Tables for positions {@code 0..length-1}. */
  Rotary(NDManager manager, int length, int headDim, double theta) {
    half = headDim / 2;
    float[] c = new float[length * headDim];
    float[] s = new float[length * headDim];
    for (int pos = 0; pos < length; pos++) {
      for (int i = 0; i < half; i++) {
        double invFreq = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
        double angle = pos * invFreq;
        float cv = (float) Math.cos(angle);
        float sv = (float) Math.sin(angle);
        c[pos * headDim + i] = cv;
        c[pos * headDim + i + half] = cv;
        s[pos * headDim + i] = sv;
        s[pos * headDim + i + half] = sv;
      }
    }
    cos = manager.create(c, new Shape(length, headDim));
    sin = manager.create(s, new Shape(length, headDim));
  }

  /** Rotates {@code x [B, H, T, D]}. */
  NDArray apply(NDArray x) {
    NDArray x1 = x.get(new NDIndex("..., :" + half));
    NDArray x2 = x.get(new NDIndex("..., " + half + ":"));
    NDArray rotated = x2.neg().concat(x1, -1);
    return x.mul(cos).add(rotated.mul(sin));
  }
}
