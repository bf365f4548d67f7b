package dev.flotilla.model.train;

/**
 * Optimisation settings of one local training run.
 *
 * @param epochs local epochs (used when {@code maxSteps <= 0})
 * @param maxSteps optimizer steps; overrides epochs when positive
 * @param batchSize examples per step
 * @param learningRate peak learning rate
 * @param warmupRatio fraction of the steps spent warming up linearly
 * @param weightDecay decoupled AdamW weight decay
 * @param maxGradNorm global gradient-norm clip (0 disables)
 * @param seed seed for shuffling and dropout
 * @param proximalMu FedProx μ: the gradient of μ/2·‖w − w_start‖² over the LoRA factors is added to
 *     theirs (0: off)
 */
public record TrainingSettings(
    int epochs,
    int maxSteps,
    int batchSize,
    double learningRate,
    double warmupRatio,
    double weightDecay,
    double maxGradNorm,
    long seed,
    double proximalMu) {

  /** Validates ranges. */
  public TrainingSettings {
    if (maxSteps <= 0 && epochs <= 0) {
      throw new IllegalArgumentException("either epochs or max steps must be positive");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
    }
    if (!(warmupRatio >= 0 && warmupRatio < 1)) {
      throw new IllegalArgumentException("warmup ratio must be in [0, 1), got " + warmupRatio);
    }
    if (!(proximalMu >= 0) || Double.isInfinite(proximalMu)) {
      throw new IllegalArgumentException("proximal mu must be >= 0, got " + proximalMu);
    }
    if (!(weightDecay >= 0) || !(maxGradNorm >= 0)) {
      throw new IllegalArgumentException("weight decay and max grad norm must be >= 0");
    }
  }

  /** Settings without a proximal term. */
  public TrainingSettings(
      int epochs,
      int maxSteps,
      int batchSize,
      double learningRate,
      double warmupRatio,
      double weightDecay,
      double maxGradNorm,
      long seed) {
    this(epochs, maxSteps, batchSize, learningRate, warmupRatio, weightDecay, maxGradNorm, seed, 0);
  }

  /** Total optimizer steps for {@code examples} training examples. */
  public int totalSteps(int examples) {
    if (maxSteps > 0) {
      return maxSteps;
    }
    return epochs * ((examples + batchSize - 1) / batchSize);
  }
}
