package dev.flotilla.core.workload;

import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.spec.ModelArchitecture;
import dev.flotilla.core.spec.TaskKind;
import java.util.Locale;

/**
 * How the trainer and the aggregator's evaluation load the base model: the same inputs for both, so
 * a model that trains also evaluates.
 *
 * @param baseModel Hugging Face model directory or {@code s3://} prefix
 * @param architecture architecture family, AUTO to read it from the model's config
 * @param tokenizer tokenizer.json location when it is not in the model directory; null otherwise
 * @param task the task
 * @param numLabels classes of sequence classification
 * @param maxSeqLength truncation length in tokens
 */
public record ModelOptions(
    String baseModel,
    ModelArchitecture architecture,
    String tokenizer,
    TaskType task,
    int numLabels,
    int maxSeqLength) {

  /** Classes of sequence classification when the spec names none. */
  public static final int DEFAULT_NUM_LABELS = 2;

  /** The spec's model settings. */
  static ModelOptions of(FederationSpec spec) {
    Integer labels = spec.getTask().getNumLabels();
    return new ModelOptions(
        spec.getBaseModel().getUri(),
        spec.getBaseModel().getArchitecture(),
        spec.getBaseModel().getTokenizer(),
        spec.getTask().getType() == TaskKind.CAUSAL_LM ? TaskType.CAUSAL_LM : TaskType.SEQ_CLS,
        labels == null ? DEFAULT_NUM_LABELS : labels,
        spec.getTraining().getMaxSeqLength());
  }

  /** The {@code --task} value of a task type. */
  public static String taskOption(TaskType task) {
    return task == TaskType.CAUSAL_LM ? "causal-lm" : "seq-cls";
  }

  /** The task type of a {@code --task} value. */
  public static TaskType parseTask(String value) {
    return switch (value) {
      case "seq-cls", "SEQ_CLS", "SEQUENCE_CLASSIFICATION" -> TaskType.SEQ_CLS;
      case "causal-lm", "CAUSAL_LM" -> TaskType.CAUSAL_LM;
      default ->
          throw new IllegalArgumentException("--task must be seq-cls or causal-lm, got " + value);
    };
  }

  /** The architecture of an {@code --architecture} value (auto, bert, llama). */
  public static ModelArchitecture parseArchitecture(String value) {
    try {
      return ModelArchitecture.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--architecture must be auto, bert or llama, got '" + value + "'", e);
    }
  }

  void addTo(ProgramArguments args) {
    args.add("base-model", baseModel)
        .add("architecture", architecture.name().toLowerCase(Locale.ROOT))
        .add("tokenizer", tokenizer)
        .add("task", taskOption(task))
        .add("num-labels", numLabels)
        .add("max-seq-length", maxSeqLength);
  }
}
