package dev.flotilla.model.eval;

import ai.djl.ndarray.NDManager;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.model.BadInputException;
import dev.flotilla.model.BaseModel;
import dev.flotilla.model.data.DatasetReader;
import dev.flotilla.model.data.Example;
import dev.flotilla.model.data.ExampleEncoder;
import dev.flotilla.model.nn.LoraSettings;
import dev.flotilla.model.nn.TrainableModel;
import dev.flotilla.model.train.EvalResult;
import dev.flotilla.model.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates a base model with an adapter (of any per-module ranks) on labelled data files: the
 * aggregator's held-out evaluation of the global adapter.
 */
public final class AdapterEvaluation {
  private AdapterEvaluation() {}

  /**
   * Loss and accuracy of {@code adapter} on the examples of {@code dataFiles} (same formats as
   * training), without dropout or gradients.
   *
   * @param numLabels classes for classification adapters (ignored for causal LM)
   * @throws BadInputException when the model, adapter or data are invalid or do not fit together
   */
  public static EvalResult evaluate(
      BaseModel model,
      LoraAdapter adapter,
      List<Path> dataFiles,
      int numLabels,
      int maxSeqLength,
      int batchSize) {
    LoraSettings settings =
        new LoraSettings(adapter.maxRank(), adapter.alpha(), 0, adapter.targetModules(), 0);
    DatasetReader reader = new DatasetReader(adapter.taskType(), numLabels);
    List<Example> examples = new ArrayList<>();
    for (Path file : dataFiles) {
      examples.addAll(reader.read(file));
    }
    try (NDManager root = NDManager.newBaseManager();
        ExampleEncoder encoder = model.encoder(adapter.taskType(), maxSeqLength);
        TrainableModel loaded =
            model.load(adapter.taskType(), numLabels, settings, adapter, root)) {
      return Trainer.evaluate(loaded, encoder.encodeAll(examples), root, batchSize);
    }
  }
}
