package dev.flotilla.aggregator;

import ai.djl.ndarray.NDManager;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.trainer.BadInputException;
import dev.flotilla.trainer.data.DatasetReader;
import dev.flotilla.trainer.data.Example;
import dev.flotilla.trainer.data.ExampleEncoder;
import dev.flotilla.trainer.model.HfConfig;
import dev.flotilla.trainer.model.LoraSettings;
import dev.flotilla.trainer.model.ModelLoader;
import dev.flotilla.trainer.model.TrainableModel;
import dev.flotilla.trainer.train.EvalResult;
import dev.flotilla.trainer.train.Trainer;
import java.io.IOException;
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
  private final Path modelDir;
  private final Path dataFile;
  private final int numLabels;
  private final int maxSeqLength;
  private final int batchSize;

  /**
   * An evaluator of adapters for the Hugging Face model in {@code modelDir} on {@code dataFile},
   * truncating inputs to {@code maxSeqLength} tokens and scoring {@code batchSize} examples at
   * once.
   */
  public HeldOutEvaluator(
      Path modelDir, Path dataFile, int numLabels, int maxSeqLength, int batchSize) {
    this.modelDir = modelDir;
    this.dataFile = dataFile;
    this.numLabels = numLabels;
    this.maxSeqLength = maxSeqLength;
    this.batchSize = batchSize;
  }

  @Override
  public Map<String, Double> evaluate(LoraAdapter adapter) throws IOException {
    TaskType task = adapter.taskType();
    try {
      HfConfig hf = HfConfig.read(modelDir);
      List<Example> examples = new DatasetReader(task, numLabels).read(dataFile);
      LoraSettings lora =
          new LoraSettings(adapter.maxRank(), adapter.alpha(), 0.0, adapter.targetModules(), 0L);
      try (NDManager root = NDManager.newBaseManager();
          ExampleEncoder encoder =
              new ExampleEncoder(modelDir, task, maxSeqLength, hf.eosTokenId());
          TrainableModel model = ModelLoader.load(modelDir, task, numLabels, lora, adapter, root)) {
        EvalResult result = Trainer.evaluate(model, encoder.encodeAll(examples), root, batchSize);
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (task == TaskType.SEQ_CLS) {
          metrics.put("accuracy", result.accuracy());
        }
        metrics.put("loss", result.loss());
        metrics.put("examples", (double) result.examples());
        return metrics;
      }
    } catch (BadInputException e) {
      throw new EvaluationInputException("held-out evaluation: " + e.getMessage());
    }
  }

  @Override
  public Map<String, Double> evaluateUntrained(LoraAdapter like, long seed) throws IOException {
    return evaluate(
        UntrainedBaseline.adapter(
            modelDir,
            like.taskType(),
            numLabels,
            like.maxRank(),
            like.alpha(),
            like.targetModules(),
            seed));
  }

  /** The held-out set or base model is unusable (not a transient failure). */
  public static final class EvaluationInputException extends RuntimeException {
    EvaluationInputException(String message) {
      super(message);
    }
  }
}
