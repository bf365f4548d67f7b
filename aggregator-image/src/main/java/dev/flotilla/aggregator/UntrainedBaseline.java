package dev.flotilla.aggregator;

import ai.djl.ndarray.NDManager;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.trainer.BadInputException;
import dev.flotilla.trainer.model.LoraSettings;
import dev.flotilla.trainer.model.ModelLoader;
import dev.flotilla.trainer.model.TrainableModel;
import java.nio.file.Path;
import java.util.List;

/**
 * The untrained starting point of a federation as an adapter: the base model with a fresh LoRA (B =
 * 0, so the base weights are unchanged) and the task head initialised exactly as every trainer
 * initialises it in round 1 (same seed). Its held-out score is the untrained baseline.
 */
public final class UntrainedBaseline {
  private UntrainedBaseline() {}

  /**
   * Builds the round-1 starting adapter with the trainers' own model code.
   *
   * @param modelDir Hugging Face model directory
   * @param task the federation's task
   * @param numLabels classes of a classification task
   * @param rank LoRA rank (any rank gives the same function, since B = 0)
   * @param alpha the federation's {@code lora_alpha}
   * @param targetModules the federation's target modules
   * @param seed the federation's training seed (the trainers' LoRA and head init seed)
   */
  public static LoraAdapter adapter(
      Path modelDir,
      TaskType task,
      int numLabels,
      int rank,
      double alpha,
      List<String> targetModules,
      long seed) {
    LoraSettings lora;
    try {
      lora = new LoraSettings(rank, alpha, 0.0, targetModules, seed);
    } catch (IllegalArgumentException e) {
      throw new HeldOutEvaluator.EvaluationInputException("untrained baseline: " + e.getMessage());
    }
    try (NDManager root = NDManager.newBaseManager();
        TrainableModel model = ModelLoader.load(modelDir, task, numLabels, lora, null, root)) {
      return model.toAdapter(modelDir.toString());
    } catch (BadInputException e) {
      throw new HeldOutEvaluator.EvaluationInputException("untrained baseline: " + e.getMessage());
    }
  }
}
