package dev.flotilla.experiments;

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
 * @param learningRate local AdamW peak learning rate (linear decay to 0 over each client's local
 *     run, all its local epochs of the round)
 * @param alpha {@code lora_alpha}
 * @param dropout LoRA dropout
 * @param targetModules adapted modules
 * @param localEpochs local epochs each client trains per round
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
    int localEpochs,
    int threads,
    long seed) {

  /** Validates ranges. */
  public ExperimentSettings {
    if (rounds < 1
        || trainExamples < 1
        || batchSize < 1
        || maxSeqLength < 1
        || localEpochs < 1
        || threads < 1) {
      throw new IllegalArgumentException(
          "rounds, train examples, batch size, max length, local epochs and threads must be >= 1");
    }
    targetModules = List.copyOf(targetModules);
  }

  /** The same recipe with another seed. */
  public ExperimentSettings withSeed(long other) {
    return new ExperimentSettings(
        modelDir,
        cacheDir,
        rounds,
        trainExamples,
        batchSize,
        maxSeqLength,
        learningRate,
        alpha,
        dropout,
        targetModules,
        localEpochs,
        threads,
        other);
  }
}
