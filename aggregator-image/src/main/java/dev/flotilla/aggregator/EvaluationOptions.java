package dev.flotilla.aggregator;

import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.S3Uri;
import dev.flotilla.core.workload.AggregatorInvocation;
import dev.flotilla.core.workload.ModelOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Options of the held-out evaluation of the global adapter; without {@code --eval-data} there is
 * none. Locations are local paths or {@code s3://} URIs in the federation's bucket (downloaded).
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
      description = "Architecture family of the base model: auto, bert or llama (the trainers').")
  String architecture;

  @Option(
      names = "--tokenizer",
      description =
          "tokenizer.json when it is not in the base model directory: a file or directory,"
              + " s3://bucket/key or s3://bucket/prefix/ (the trainers').")
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
      description = "Cache of the DJL engine (default ~/.cache/flotilla).")
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

  /** The evaluator, if one was requested. */
  Optional<Evaluator> evaluator(ObjectStore store, String bucket, Path workDir)
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
    configureEngine();
    Path model = local(store, bucket, baseModel, workDir.resolve("base-model"), true);
    Path data = local(store, bucket, evalData, workDir.resolve("eval-data"), false);
    return Optional.of(new HeldOutEvaluator(model, data, numLabels, maxSeqLength, batchSize));
  }

  private void configureEngine() {
    Path cache =
        cacheDir != null
            ? cacheDir
            : Path.of(System.getProperty("user.home"), ".cache", "flotilla");
    int intraOp = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(intraOp));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    System.setProperty("ai.djl.offline", "true");
    if (System.getenv("DJL_CACHE_DIR") == null) {
      System.setProperty("DJL_CACHE_DIR", cache.resolve("djl").toString());
      System.setProperty("ENGINE_CACHE_DIR", cache.resolve("djl").toString());
    }
  }

  /** {@code location} as a local path, downloading s3:// objects of the federation's bucket. */
  private static Path local(
      ObjectStore store, String bucket, String location, Path target, boolean directory)
      throws BadInputException, IOException {
    if (!S3Uri.isS3(location)) {
      Path path = Path.of(location);
      if (directory ? !Files.isDirectory(path) : !Files.isRegularFile(path)) {
        throw new BadInputException(location + " does not exist");
      }
      return path;
    }
    S3Uri uri = S3Uri.parse(location);
    if (!uri.bucket().equals(bucket)) {
      throw new BadInputException(
          location + ": evaluation inputs must live in the federation's bucket " + bucket);
    }
    if (!directory) {
      store.getToFile(uri.key(), target);
      return target;
    }
    String prefix = uri.key().endsWith("/") ? uri.key() : uri.key() + "/";
    List<String> keys = store.list(prefix);
    if (keys.isEmpty()) {
      throw new BadInputException("base model " + location + " has no objects");
    }
    for (String key : keys) {
      store.getToFile(key, target.resolve(key.substring(prefix.length())));
    }
    return target;
  }
}
