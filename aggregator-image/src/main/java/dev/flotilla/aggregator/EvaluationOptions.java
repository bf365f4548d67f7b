package dev.flotilla.aggregator;

import dev.flotilla.core.spec.ModelArchitecture;
import dev.flotilla.core.workload.AggregatorInvocation;
import dev.flotilla.core.workload.ModelOptions;
import dev.flotilla.model.BaseModel;
import dev.flotilla.model.BucketStores;
import dev.flotilla.model.ModelWorkspace;
import dev.flotilla.model.TransientException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Options of the held-out evaluation of the global adapter; without {@code --eval-data} there is
 * none. Locations are local paths or {@code s3://} URIs on the storage endpoint, resolved by the
 * trainers' {@link ModelWorkspace} (base models cached, like the trainers').
 */
public final class EvaluationOptions {
  @Option(
      names = "--eval-data",
      description =
          "Held-out JSON-lines/CSV set (path or s3://bucket/key); omitted: no evaluation.")
  String evalData;

  @Option(
      names = "--base-model",
      description = "Base model: Hugging Face directory or s3://bucket/prefix/ (with --eval-data).")
  String baseModel;

  @Option(
      names = "--architecture",
      defaultValue = "auto",
      description =
          "Architecture family: auto (from config.json model_type), bert or llama; an explicit"
              + " family must match a known model_type and decides the layout of an unknown one"
              + " (default ${DEFAULT-VALUE}).")
  String architecture;

  @Option(
      names = "--tokenizer",
      description =
          "tokenizer.json when it is not in the base model directory: a file or directory,"
              + " s3://bucket/key or s3://bucket/prefix/.")
  String tokenizer;

  @Option(names = "--task", defaultValue = "seq-cls", description = "seq-cls or causal-lm.")
  String task;

  @Option(names = "--num-labels", defaultValue = "2", description = "Classes of seq-cls.")
  int numLabels;

  @Option(names = "--max-seq-length", defaultValue = "128", description = "Token truncation.")
  int maxSeqLength;

  @Option(names = "--eval-batch-size", defaultValue = "32", description = "Evaluation batch.")
  int batchSize;

  @Option(names = "--threads", defaultValue = "0", description = "PyTorch threads; 0: all cores.")
  int threads;

  @Option(
      names = "--cache-dir",
      description =
          "Cache of downloaded base models and the DJL engine (default ~/.cache/flotilla).")
  Path cacheDir;

  /** The evaluation these options ask for; null without {@code --eval-data}. */
  AggregatorInvocation.Evaluation invocation() {
    if (evalData == null) {
      return null;
    }
    if (baseModel == null) {
      throw new IllegalArgumentException("--eval-data needs --base-model");
    }
    return new AggregatorInvocation.Evaluation(
        evalData,
        new ModelOptions(
            baseModel,
            ModelOptions.parseArchitecture(architecture),
            tokenizer,
            ModelOptions.parseTask(task),
            numLabels,
            maxSeqLength),
        batchSize,
        threads,
        cacheDir == null ? null : cacheDir.toString());
  }

  /**
   * The evaluator, if one was requested, with its inputs downloaded through {@code stores} (the
   * trainers' rules) and scratch files under {@code workDir}.
   */
  Optional<Evaluator> evaluator(BucketStores stores, Path workDir)
      throws BadInputException, IOException {
    if (evalData == null) {
      return Optional.empty();
    }
    if (baseModel == null) {
      throw new BadInputException("--eval-data needs --base-model");
    }
    if (!task.equals("seq-cls") && !task.equals("causal-lm")) {
      throw new BadInputException("--task must be seq-cls or causal-lm, got " + task);
    }
    Path cache = ModelWorkspace.cacheDir(cacheDir);
    try {
      ModelArchitecture family = ModelWorkspace.architecture(architecture);
      ModelWorkspace.configureEngine(threads, cache);
      ModelWorkspace workspace = new ModelWorkspace(stores, cache, workDir);
      BaseModel model = workspace.baseModel(baseModel, family, tokenizer);
      List<Path> data = workspace.dataFiles(evalData);
      return Optional.of(new HeldOutEvaluator(model, data, numLabels, maxSeqLength, batchSize));
    } catch (dev.flotilla.model.BadInputException e) {
      throw new BadInputException(e.getMessage());
    } catch (TransientException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
