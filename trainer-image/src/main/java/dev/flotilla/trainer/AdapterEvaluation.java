package dev.flotilla.trainer;

import ai.djl.ndarray.NDManager;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.trainer.data.DatasetReader;
import dev.flotilla.trainer.data.ExampleEncoder;
import dev.flotilla.trainer.model.HfConfig;
import dev.flotilla.trainer.model.LoraSettings;
import dev.flotilla.trainer.model.ModelLoader;
import dev.flotilla.trainer.model.TrainableModel;
import dev.flotilla.trainer.train.EvalResult;
import dev.flotilla.trainer.train.Trainer;
import java.nio.file.Path;

/**
 * Evaluates a base model with an adapter (of any per-module ranks) on a labelled data file: the
 * entry point for the aggregator's held-out evaluation of the global adapter.
 */
public final class AdapterEvaluation {
  private AdapterEvaluation() {}

  /**
   * Loss and accuracy of {@code adapter} on {@code data} (same formats as training).
   *
   * @param numLabels classes for classification adapters (ignored for causal LM)
   * @throws BadInputException when the model, adapter or data are invalid or do not fit together
   */
  public static EvalResult evaluate(
      Path modelDir,
      LoraAdapter adapter,
      Path data,
      int numLabels,
      int maxSeqLength,
      int batchSize) {
    LoraSettings settings =
        new LoraSettings(adapter.maxRank(), adapter.alpha(), 0, adapter.targetModules(), 0);
    HfConfig config = HfConfig.read(modelDir);
    var examples = new DatasetReader(adapter.taskType(), numLabels).read(data);
    try (NDManager root = NDManager.newBaseManager();
        ExampleEncoder encoder =
            new ExampleEncoder(modelDir, adapter.taskType(), maxSeqLength, config.eosTokenId());
        TrainableModel model =
            ModelLoader.load(modelDir, adapter.taskType(), numLabels, settings, adapter, root)) {
      return Trainer.evaluate(model, encoder.encodeAll(examples), root, batchSize);
    }
  }
}
