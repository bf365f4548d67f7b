package dev.flotilla.aggregator;

import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.model.BadInputException;
import dev.flotilla.model.BaseModel;
import dev.flotilla.model.eval.AdapterEvaluation;
import dev.flotilla.model.eval.UntrainedBaseline;
import dev.flotilla.model.train.EvalResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores the global adapter on the federation's held-out set with the trainer's own model code: the
 * base model with the adapter attached (no dropout, no gradients), reporting {@code accuracy}
 * (classification), {@code loss} and {@code examples}.
 */
public final class HeldOutEvaluator implements Evaluator {
  private final BaseModel model;
  private final List<Path> dataFiles;
  private final int numLabels;
  private final int maxSeqLength;
  private final int batchSize;

  /**
   * An evaluator of adapters for {@code model} on the examples of {@code dataFiles}, truncating
   * inputs to {@code maxSeqLength} tokens and scoring {@code batchSize} examples at once.
   */
  public HeldOutEvaluator(
      BaseModel model, List<Path> dataFiles, int numLabels, int maxSeqLength, int batchSize) {
    this.model = model;
    this.dataFiles = List.copyOf(dataFiles);
    this.numLabels = numLabels;
    this.maxSeqLength = maxSeqLength;
    this.batchSize = batchSize;
  }

  @Override
  public Map<String, Double> evaluate(LoraAdapter adapter) {
    EvalResult result;
    try {
      result =
          AdapterEvaluation.evaluate(model, adapter, dataFiles, numLabels, maxSeqLength, batchSize);
    } catch (BadInputException e) {
      throw new EvaluationInputException("held-out evaluation: " + e.getMessage());
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    if (adapter.taskType() == TaskType.SEQ_CLS) {
      metrics.put("accuracy", result.accuracy());
    }
    metrics.put("loss", result.loss());
    metrics.put("examples", (double) result.examples());
    return metrics;
  }

  @Override
  public Map<String, Double> evaluateUntrained(LoraAdapter like, long seed) {
    LoraAdapter untrained;
    try {
      untrained =
          UntrainedBaseline.adapter(
              model,
              like.taskType(),
              numLabels,
              like.maxRank(),
              like.alpha(),
              like.targetModules(),
              seed);
    } catch (BadInputException e) {
      throw new EvaluationInputException("untrained baseline: " + e.getMessage());
    }
    return evaluate(untrained);
  }

  /** The held-out set or base model is unusable (not a transient failure). */
  public static final class EvaluationInputException extends RuntimeException {
    EvaluationInputException(String message) {
      super(message);
    }
  }
}
