package dev.flotilla.trainer;

import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.core.spec.ModelArchitecture;
import dev.flotilla.model.nn.LoraSettings;
import dev.flotilla.model.train.TrainingSettings;
import java.nio.file.Path;

/**
 * Everything one trainer invocation needs (parsed and validated by {@link TrainerMain}).
 *
 * @param federation federation name (object-store layout)
 * @param round round being trained (1-based)
 * @param attempt attempt of the round
 * @param baseRound last committed round whose rank adapter is the starting point (0: fresh)
 * @param clientId client id
 * @param task the task
 * @param numLabels classes for sequence classification
 * @param lora LoRA settings (rank, alpha, dropout, targets)
 * @param training optimisation settings
 * @param maxSeqLength truncation length in tokens
 * @param evalFraction fraction of the examples held out for a local evaluation; 0: none
 * @param baseModel base model location (directory or s3:// prefix)
 * @param architecture architecture family, or AUTO to read it from the model's config.json
 * @param tokenizer tokenizer.json location (file, directory, s3:// key or prefix), or null for the
 *     one in the base model directory
 * @param data data location (file, s3:// key or s3:// prefix ending in /)
 * @param startAdapter explicit starting adapter (directory or s3:// prefix), or null for the layout
 * @param bucket federation bucket (null when writing to {@code outputDir} only)
 * @param prefix key prefix of the federation layout
 * @param outputDir local directory receiving the adapter and metrics instead of storage (or null)
 * @param cacheDir cache of downloaded base models
 * @param workDir scratch directory
 */
record JobConfig(
    String federation,
    int round,
    int attempt,
    int baseRound,
    String clientId,
    TaskType task,
    int numLabels,
    LoraSettings lora,
    TrainingSettings training,
    int maxSeqLength,
    double evalFraction,
    String baseModel,
    ModelArchitecture architecture,
    String tokenizer,
    String data,
    String startAdapter,
    String bucket,
    String prefix,
    Path outputDir,
    Path cacheDir,
    Path workDir) {}
