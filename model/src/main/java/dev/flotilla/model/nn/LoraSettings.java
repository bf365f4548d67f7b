package dev.flotilla.model.nn;

import java.util.List;

/**
 * The LoRA configuration of one client.
 *
 * @param rank r, the inner dimension of {@code B·A}
 * @param alpha lora_alpha; the update is scaled by {@code alpha / r}
 * @param dropout dropout applied to the LoRA branch input while training
 * @param targetModules module-name suffixes to adapt (family aliases such as {@code query} are
 *     accepted for every family)
 * @param initSeed seed of the A initialisation (shared by all clients so they start alike)
 */
public record LoraSettings(
    int rank, double alpha, double dropout, List<String> targetModules, long initSeed) {

  /** Validates ranges. */
  public LoraSettings {
    if (rank < 1) {
      throw new IllegalArgumentException("rank must be >= 1, got " + rank);
    }
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("alpha must be a positive number, got " + alpha);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
    if (targetModules.isEmpty()) {
      throw new IllegalArgumentException("target modules must not be empty");
    }
    targetModules = List.copyOf(targetModules);
  }

  /** The scaling {@code alpha / r}. */
  public float scaling() {
    return (float) (alpha / rank);
  }
}
