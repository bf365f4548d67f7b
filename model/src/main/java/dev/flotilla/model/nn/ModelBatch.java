package dev.flotilla.model.nn;

import ai.djl.ndarray.NDArray;

/**
 * One padded batch on the device.
 *
 * @param inputIds token ids {@code [B, T]} (int64)
 * @param attentionMask 1 for tokens, 0 for padding {@code [B, T]} (int64)
 * @param tokenTypeIds segment ids {@code [B, T]} (int64)
 * @param labels class ids {@code [B]} for classification; for causal LM a {@code [B, T]} float
 *     mask, 1 where the token is part of the response (its prediction is scored)
 */
public record ModelBatch(
    NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds, NDArray labels) {

  /** Number of examples. */
  public int size() {
    return (int) inputIds.getShape().get(0);
  }
}
