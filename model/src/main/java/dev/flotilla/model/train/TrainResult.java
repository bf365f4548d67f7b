package dev.flotilla.model.train;

import java.util.List;

/**
 * What a training run did.
 *
 * @param steps optimizer steps taken
 * @param examplesSeen examples processed (with repetition over epochs)
 * @param losses the loss of every step, in order
 * @param gradNorms the pre-clipping global gradient norm of every step
 */
public record TrainResult(
    int steps, long examplesSeen, List<Double> losses, List<Double> gradNorms) {

  /** Mean loss over the last {@code window} steps (the final epoch when window = steps/epoch). */
  public double meanLastLoss(int window) {
    int from = Math.max(0, losses.size() - Math.max(1, window));
    return losses.subList(from, losses.size()).stream().mapToDouble(d -> d).average().orElse(0);
  }

  /** Mean loss over all steps. */
  public double meanLoss() {
    return losses.stream().mapToDouble(d -> d).average().orElse(0);
  }
}
