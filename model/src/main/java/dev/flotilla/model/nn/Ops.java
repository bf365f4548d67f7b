package dev.flotilla.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import java.util.function.UnaryOperator;

/**
 * Tensor building blocks shared by the encoder and decoder implementations.
 *
 * <p>Never use DJL's {@code array.mul(Number)} (or any {@code op(Number)}) on an autograd path: on
 * CPU, DJL wraps the number in a tensor over a Java direct buffer without copying and closes it
 * right after the op; autograd keeps that tensor for the backward pass, and once the garbage
 * collector frees the buffer, backward reads freed memory (random, often NaN, gradients). {@link
 * #scale} and {@link #shift} put the constant in PyTorch-allocated memory instead.
 */
final class Ops {
  /** Added to masked attention scores (PyTorch's float32 minimum, as Hugging Face does). */
  static final float MASKED = -Float.MAX_VALUE;

  private Ops() {}

  /**
   * Runs one layer in its own {@link NDScope} so its intermediate arrays are released as soon as
   * the layer is done, as Python's reference counting would (autograd keeps what backward needs);
   * only the output moves to the enclosing scope.
   */
  static NDArray scoped(NDArray input, UnaryOperator<NDArray> layer) {
    NDArray output;
    try (NDScope scope = new NDScope()) {
      output = layer.apply(input);
      NDScope.unregister(output);
    }
    NDScope.register(output);
    return output;
  }

  /** {@code x · factor}, with the factor allocated by PyTorch (safe for autograd). */
  static NDArray scale(NDArray x, float factor) {
    return x.mul(x.getManager().full(new Shape(), factor, x.getDataType()));
  }

  /** {@code x + value}, with the value allocated by PyTorch (safe for autograd). */
  static NDArray shift(NDArray x, float value) {
    return x.add(x.getManager().full(new Shape(), value, x.getDataType()));
  }

  static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, double eps) {
    return LayerNorm.layerNorm(x, new Shape(gamma.getShape().get(0)), gamma, beta, (float) eps)
        .head();
  }

  /** RMSNorm as in Llama: {@code w · x / sqrt(mean(x²) + eps)}. */
  static NDArray rmsNorm(NDArray x, NDArray weight, double eps) {
    NDArray rms = shift(x.square().mean(new int[] {-1}, true), (float) eps).sqrt();
    return x.div(rms).mul(weight);
  }

  /** Inverted dropout in training mode (see {@link DropoutMasks}); identity otherwise. */
  static NDArray dropout(NDArray x, double rate, boolean training) {
    return training && rate > 0 ? DropoutMasks.apply(x, rate) : x;
  }

  /** {@code [B, T, H·D]} → {@code [B, H, T, D]}. */
  static NDArray splitHeads(NDArray x, int heads, int headDim) {
    Shape s = x.getShape();
    return x.reshape(s.get(0), s.get(1), heads, headDim).transpose(0, 2, 1, 3);
  }

  /** {@code [B, H, T, D]} → {@code [B, T, H·D]}. */
  static NDArray mergeHeads(NDArray x) {
    Shape s = x.getShape();
    return x.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), s.get(1) * s.get(3));
  }

  /**
   * Scaled dot-product attention; {@code maskBias} broadcasts to {@code [B, H, T, S]} and holds 0
   * for visible and {@link #MASKED} for hidden positions.
   */
  static NDArray attention(
      NDArray q, NDArray k, NDArray v, NDArray maskBias, double dropout, boolean training) {
    float scale = (float) (1.0 / Math.sqrt(q.getShape().get(3)));
    // scaling q [B, H, T, D] instead of the scores [B, H, T, S]: the same product, on fewer
    // elements when the key length S exceeds the head size D (the usual case)
    NDArray scores = scale(q, scale).matMul(k.transpose(0, 1, 3, 2)).add(maskBias);
    NDArray probs = dropout(scores.softmax(-1), dropout, training);
    return probs.matMul(v);
  }

  /** Padding mask {@code [B, T]} (1 = token) → additive bias {@code [B, 1, 1, T]}. */
  static NDArray paddingBias(NDArray attentionMask) {
    NDArray hidden = attentionMask.toType(DataType.FLOAT32, false).neg().add(1f);
    return hidden.mul(MASKED).expandDims(1).expandDims(1);
  }

  /**
   * Mean cross-entropy of {@code logits [N, C]} against {@code targets [N]} over the rows where
   * {@code weights [N]} (0/1 floats) is 1.
   */
  static NDArray crossEntropy(NDArray logits, NDArray targets, NDArray weights) {
    NDArray logProbs = logits.logSoftmax(-1);
    NDArray picked = logProbs.gather(targets.expandDims(-1), -1).squeeze(-1);
    return picked.mul(weights).sum().neg().div(weights.sum().maximum(1f));
  }
}
