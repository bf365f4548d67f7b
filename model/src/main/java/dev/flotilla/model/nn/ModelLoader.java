package dev.flotilla.model.nn;

import ai.djl.ndarray.NDManager;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.core.spec.ModelArchitecture;
import dev.flotilla.model.BadInputException;
import java.nio.file.Path;

/** Builds the trainable model for a Hugging Face directory and a task. */
public final class ModelLoader {
  private ModelLoader() {}

  /**
   * Loads {@code modelDir} into a new sub-manager of {@code parent} (owned by the returned model).
   *
   * @param start the starting adapter, or null for a fresh LoRA init
   */
  public static TrainableModel load(
      Path modelDir,
      TaskType task,
      int numLabels,
      LoraSettings lora,
      LoraAdapter start,
      NDManager parent) {
    return load(modelDir, ModelArchitecture.AUTO, task, numLabels, lora, start, parent);
  }

  /**
   * Loads {@code modelDir} with an explicit architecture (see {@link HfConfig#read(Path,
   * ModelArchitecture)}) into a new sub-manager of {@code parent}.
   */
  public static TrainableModel load(
      Path modelDir,
      ModelArchitecture architecture,
      TaskType task,
      int numLabels,
      LoraSettings lora,
      LoraAdapter start,
      NDManager parent) {
    HfConfig config = HfConfig.read(modelDir, architecture);
    boolean decoder = config.family() == ModelFamily.LLAMA;
    if (decoder != (task == TaskType.CAUSAL_LM)) {
      throw new BadInputException(
          modelDir
              + ": model_type "
              + config.modelType()
              + " cannot be trained for task "
              + task
              + (decoder ? " (decoders train causal-lm)" : " (encoders train seq-cls)"));
    }
    NDManager manager = parent.newSubManager();
    try (Checkpoint checkpoint = SafetensorsCheckpoint.open(modelDir)) {
      return decoder
          ? new LlamaDecoder(checkpoint, config.decoder(), lora, start, manager)
          : new BertEncoder(checkpoint, config.encoder(), numLabels, lora, start, manager);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }
}
