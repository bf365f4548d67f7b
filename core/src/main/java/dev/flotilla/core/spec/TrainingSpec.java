package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** Local training hyper-parameters of each client in a round. */
@ValidationRule(
    value = "!(has(self.epochs) && has(self.maxSteps))",
    message = "set at most one of epochs and maxSteps")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingSpec {

  @JsonPropertyDescription(
      "Passes over the client's data per round, at most 1000; set this or maxSteps; neither: 1"
          + " epoch.")
  @Min(1)
  @Max(SpecBounds.EPOCHS)
  private Integer epochs;

  @JsonPropertyDescription("Optimizer steps per round, at most 1000000; set this or epochs.")
  @Min(1)
  @Max(SpecBounds.MAX_STEPS)
  private Integer maxSteps;

  @JsonPropertyDescription(
      "Examples per optimizer step, at most 4096 (activations grow with it; a trainer's memory"
          + " is its pool's limit).")
  @Default("16")
  @Min(1)
  @Max(SpecBounds.BATCH_SIZE)
  private Integer batchSize = 16;

  @JsonPropertyDescription("Peak AdamW learning rate, in (0, 1].")
  @Default("0.0005")
  @Min(value = 0, inclusive = false)
  @Max(SpecBounds.LEARNING_RATE)
  private Double learningRate = 5.0e-4;

  @JsonPropertyDescription(
      "Token sequences are truncated to this length, at most 32768 (attention memory grows with"
          + " its square).")
  @Default("128")
  @Min(8)
  @Max(SpecBounds.SEQ_LENGTH)
  private Integer maxSeqLength = 128;

  @JsonPropertyDescription("Fraction of the steps with linear learning-rate warm-up.")
  @Default("0")
  @Min(0)
  @Max(value = 1, inclusive = false)
  private Double warmupRatio = 0.0;

  @JsonPropertyDescription(
      "Fraction of each client's examples held out for a local evaluation of its adapter (0: none);"
          + " the client trains, and is weighted, on the rest. Fewer than 10 held-out examples: no"
          + " local evaluation.")
  @Default("0.1")
  @Min(0)
  @Max(0.5)
  private Double evalFraction = 0.1;

  @JsonPropertyDescription(
      "Seed of adapter initialisation, dropout and data shuffling (mixed with round and client id).")
  @Default("42")
  private Long seed = 42L;

  @JsonPropertyDescription(
      "FedProx proximal term μ: each client adds μ/2·‖w − w_global‖² over its LoRA factors to its"
          + " loss, pulling its update toward the round's starting adapter; 0 (default): off.")
  @Default("0")
  @Min(0)
  private Double proximalMu = 0.0;

  /**
   * Returns epochs: passes over the client's data per round; set this or maxSteps; neither: 1
   * epoch.
   */
  public Integer getEpochs() {
    return epochs;
  }

  /** Sets epochs. */
  public void setEpochs(Integer epochs) {
    this.epochs = epochs;
  }

  /** Returns maxSteps: optimizer steps per round; set this or epochs. */
  public Integer getMaxSteps() {
    return maxSteps;
  }

  /** Sets maxSteps. */
  public void setMaxSteps(Integer maxSteps) {
    this.maxSteps = maxSteps;
  }

  /** Returns batchSize: examples per optimizer step. */
  public Integer getBatchSize() {
    return batchSize;
  }

  /** Sets batchSize. */
  public void setBatchSize(Integer batchSize) {
    this.batchSize = batchSize;
  }

  /** Returns learningRate: peak AdamW learning rate. */
  public Double getLearningRate() {
    return learningRate;
  }

  /** Sets learningRate. */
  public void setLearningRate(Double learningRate) {
    this.learningRate = learningRate;
  }

  /** Returns maxSeqLength: token sequences are truncated to this length. */
  public Integer getMaxSeqLength() {
    return maxSeqLength;
  }

  /** Sets maxSeqLength. */
  public void setMaxSeqLength(Integer maxSeqLength) {
    this.maxSeqLength = maxSeqLength;
  }

  /** Returns evalFraction: fraction of each client's examples held out for local evaluation. */
  public Double getEvalFraction() {
    return evalFraction;
  }

  /** Sets evalFraction. */
  public void setEvalFraction(Double evalFraction) {
    this.evalFraction = evalFraction;
  }

  /** Returns the held-out fraction, 0.1 when unset. */
  public double evalFractionOrDefault() {
    return evalFraction == null ? 0.1 : evalFraction;
  }

  /** Returns warmupRatio: fraction of the steps with linear learning-rate warm-up. */
  public Double getWarmupRatio() {
    return warmupRatio;
  }

  /** Sets warmupRatio. */
  public void setWarmupRatio(Double warmupRatio) {
    this.warmupRatio = warmupRatio;
  }

  /**
   * Returns seed: seed of adapter initialisation, dropout and data shuffling (mixed with round and
   * client id).
   */
  public Long getSeed() {
    return seed;
  }

  /** Sets seed. */
  public void setSeed(Long seed) {
    this.seed = seed;
  }

  /** The epochs to train when neither epochs nor maxSteps is set, or the configured epochs. */
  public int epochsOrDefault() {
    return epochs != null ? epochs : (maxSteps != null ? 0 : 1);
  }

  /** Returns proximalMu: the FedProx proximal coefficient μ (0: off). */
  public Double getProximalMu() {
    return proximalMu;
  }

  /** Sets proximalMu. */
  public void setProximalMu(Double proximalMu) {
    this.proximalMu = proximalMu;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TrainingSpec)) {
      return false;
    }
    TrainingSpec other = (TrainingSpec) o;
    return Objects.equals(epochs, other.epochs)
        && Objects.equals(maxSteps, other.maxSteps)
        && Objects.equals(batchSize, other.batchSize)
        && Objects.equals(learningRate, other.learningRate)
        && Objects.equals(maxSeqLength, other.maxSeqLength)
        && Objects.equals(warmupRatio, other.warmupRatio)
        && Objects.equals(evalFraction, other.evalFraction)
        && Objects.equals(seed, other.seed)
        && Objects.equals(proximalMu, other.proximalMu);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        epochs,
        maxSteps,
        batchSize,
        learningRate,
        maxSeqLength,
        warmupRatio,
        evalFraction,
        seed,
        proximalMu);
  }
}
