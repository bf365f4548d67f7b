package dev.flotilla.experiments;

import ai.djl.ndarray.NDManager;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.model.BaseModel;
import dev.flotilla.model.data.EncodedExample;
import dev.flotilla.model.nn.BertEncoder;
import dev.flotilla.model.nn.EncoderConfig;
import dev.flotilla.model.nn.LoraSettings;
import dev.flotilla.model.nn.ModelFamily;
import dev.flotilla.model.nn.TrainableModel;
import dev.flotilla.model.train.ClientSeeds;
import dev.flotilla.model.train.TrainResult;
import dev.flotilla.model.train.Trainer;
import dev.flotilla.model.train.TrainingSettings;
import java.util.List;

/**
 * One client's local round with the trainer's own classes (model code, AdamW loop, adapter export),
 * as the trainer program runs it, minus its storage I/O and its 10% local validation split: every
 * example of the client trains. The base weights are read once ({@link CachedCheckpoint}) and each
 * client's encoder is built from them as the trainer's model loader builds it. The per-client
 * shuffling/dropout seed is the trainer's ({@link ClientSeeds}).
 */
final class LocalTraining {
  private final ExperimentSettings settings;
  private final BaseModel base;
  private final CachedCheckpoint checkpoint;
  private final EncoderConfig encoder;

  LocalTraining(ExperimentSettings settings, BaseModel base) {
    this.settings = settings;
    this.base = base;
    if (base.config().family() == ModelFamily.LLAMA) {
      throw new IllegalArgumentException(
          base.directory() + ": the experiments fine-tune encoders for classification");
    }
    this.encoder = base.config().encoder();
    this.checkpoint = new CachedCheckpoint(base.directory());
  }

  /**
   * What a client returns.
   *
   * @param adapter the trained adapter
   * @param numSamples training examples (the FedAvg/FlexLoRA weight)
   * @param trainLoss mean loss over the local run (all its epochs)
   * @param steps optimizer steps taken
   */
  record Update(LoraAdapter adapter, long numSamples, double trainLoss, long steps) {}

  /**
   * Trains the settings' local epochs over {@code examples} at {@code rank} from {@code start} (or
   * fresh), with the learning rate decaying linearly over all of them as in the trainer.
   */
  Update train(
      String clientId, int round, int rank, List<EncodedExample> examples, LoraAdapter start) {
    LoraSettings lora =
        new LoraSettings(
            rank, settings.alpha(), settings.dropout(), settings.targetModules(), settings.seed());
    long clientSeed = ClientSeeds.of(settings.seed(), clientId, round);
    TrainingSettings training =
        new TrainingSettings(
            settings.localEpochs(),
            0,
            settings.batchSize(),
            settings.learningRate(),
            0.0,
            0.0,
            1.0,
            clientSeed);
    try (NDManager root = NDManager.newBaseManager();
        TrainableModel model =
            new BertEncoder(checkpoint, encoder, 2, lora, start, root.newSubManager())) {
      TrainResult result = new Trainer(training).train(model, examples, root, step -> {});
      return new Update(
          model.toAdapter(base.location()), examples.size(), result.meanLoss(), result.steps());
    }
  }
}
