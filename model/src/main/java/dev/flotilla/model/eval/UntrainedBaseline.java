package dev.flotilla.model.eval;

import ai.djl.ndarray.NDManager;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.model.BadInputException;
import dev.flotilla.model.BaseModel;
import dev.flotilla.model.nn.LoraSettings;
import dev.flotilla.model.nn.TrainableModel;
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
   * @param model the base model
   * @param task the federation's task
   * @param numLabels classes of a classification task
   * @param rank LoRA rank (any rank gives the same function, since B = 0)
   * @param alpha the federation's {@code lora_alpha}
   * @param targetModules the federation's target modules
   * @param seed the federation's training seed (the trainers' LoRA and head init seed)
   * @throws BadInputException when the settings do not fit the model
   */
  public static LoraAdapter adapter(
      BaseModel model,
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
      throw new BadInputException(e.getMessage(), e);
    }
    try (NDManager root = NDManager.newBaseManager();
        TrainableModel loaded = model.load(task, numLabels, lora, null, root)) {
      return loaded.toAdapter(model.location());
    }
  }
}
