package dev.flotilla.local.experiments;

import java.nio.file.Path;
import java.util.List;

/**
 * The training recipe shared by every cell of an experiment run.
 *
 * @param modelDir Hugging Face directory of the base model
 * @param cacheDir the Flotilla cache (DJL natives)
 * @param rounds federation rounds per cell
 * @param trainExamples training examples per cell, divided among the clients (a fixed total budget:
 *     every round processes each example once whatever the number of clients)
 * @param batchSize local batch size
 * @param maxSeqLength token truncation
 * @param learningRate local AdamW peak learning rate (linear decay over each local epoch)
 * @param alpha {@code lora_alpha}
 * @param dropout LoRA dropout
 * @param targetModules adapted modules
 * @param threads PyTorch intra-op threads
 * @param seed seed of sampling, partitioning, rank assignment, LoRA/head init and shuffling
 */
public record ExperimentSettings(
    Path modelDir,
    Path cacheDir,
    int rounds,
    int trainExamples,
    int batchSize,
    int maxSeqLength,
    double learningRate,
    double alpha,
    double dropout,
    List<String> targetModules,
    int threads,
    long seed) {

  /** Validates ranges. */
  public ExperimentSettings {
    if (rounds < 1 || trainExamples < 1 || batchSize < 1 || maxSeqLength < 1 || threads < 1) {
      throw new IllegalArgumentException(
          "rounds, train examples, batch size, max length and threads must be >= 1");
    }
    targetModules = List.copyOf(targetModules);
  }
}
