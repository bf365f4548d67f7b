package dev.flotilla.trainer;

import dev.flotilla.core.workload.DataAccess;
import dev.flotilla.core.workload.ExitCode;
import dev.flotilla.core.workload.ModelOptions;
import dev.flotilla.core.workload.StorageAccess;
import dev.flotilla.core.workload.TrainerInvocation;
import dev.flotilla.model.BadInputException;
import dev.flotilla.model.FileTrees;
import dev.flotilla.model.ModelWorkspace;
import dev.flotilla.model.StorageClient;
import dev.flotilla.model.TransientException;
import dev.flotilla.model.nn.LoraSettings;
import dev.flotilla.model.train.ClientSeeds;
import dev.flotilla.model.train.TrainingSettings;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The trainer CLI: trains one client's LoRA adapter for one federation round and uploads it
 * (adapter files first, {@code metrics.json} last). Options fall back to {@code FLOTILLA_*}
 * environment variables; credentials come only from the environment.
 */
@Command(
    name = "flotilla-trainer",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Trains one client's LoRA adapter for one round (DJL / PyTorch, CPU or GPU) and uploads"
          + " adapter_model.safetensors + adapter_config.json, then metrics.json, to"
          + " <prefix>/<federation>/rounds/<rrrr>/clients/<client>/.",
      "Storage credentials: environment FLOTILLA_S3_ACCESS_KEY / FLOTILLA_S3_SECRET_KEY."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:adapter and metrics uploaded",
      "1:unexpected failure (including diverged training)",
      "2:bad input (options, data, model, starting adapter)",
      "3:transient failure (storage or network): retry"
    })
public final class TrainerMain implements Callable<Integer> {

  /**
   * How long a signal waits for training to reach a step boundary: below Kubernetes' default 30 s
   * termination grace period, above a step of the supported models on a CPU.
   */
  private static final Duration STOP_PATIENCE = Duration.ofSeconds(20);

  @Option(
      names = "--federation",
      defaultValue = "${env:FLOTILLA_FEDERATION}",
      required = true,
      description = "Federation name (env FLOTILLA_FEDERATION).")
  String federation;

  @Option(
      names = "--round",
      defaultValue = "${env:FLOTILLA_ROUND}",
      required = true,
      description = "Round number, from 1 (env FLOTILLA_ROUND).")
  int round;

  @Option(
      names = "--attempt",
      defaultValue = "${env:FLOTILLA_ATTEMPT:-1}",
      description = "Attempt of the round (default ${DEFAULT-VALUE}).")
  int attempt;

  @Option(
      names = "--base-round",
      defaultValue = "${env:FLOTILLA_BASE_ROUND:--1}",
      description =
          "Committed round whose rank adapter starts training; 0 = fresh LoRA."
              + " Default: round - 1.")
  int baseRound;

  @Option(
      names = "--client-id",
      defaultValue = "${env:FLOTILLA_CLIENT_ID}",
      required = true,
      description = "Client id (env FLOTILLA_CLIENT_ID).")
  String clientId;

  @Option(
      names = "--rank",
      defaultValue = "${env:FLOTILLA_RANK}",
      required = true,
      description = "LoRA rank of this client (env FLOTILLA_RANK).")
  int rank;

  @Option(
      names = "--alpha",
      defaultValue = "${env:FLOTILLA_LORA_ALPHA:-16}",
      description = "lora_alpha (default ${DEFAULT-VALUE}).")
  double alpha;

  @Option(
      names = "--dropout",
      defaultValue = "${env:FLOTILLA_LORA_DROPOUT:-0.05}",
      description = "lora_dropout (default ${DEFAULT-VALUE}).")
  double dropout;

  @Option(
      names = "--target-modules",
      split = ",",
      defaultValue = "${env:FLOTILLA_TARGET_MODULES:-query,value}",
      description =
          "LoRA target module suffixes, comma separated (default ${DEFAULT-VALUE});"
              + " query/key/value also map to q_lin/q_proj etc.")
  List<String> targetModules;

  @Option(
      names = "--task",
      defaultValue = "${env:FLOTILLA_TASK:-seq-cls}",
      description = "seq-cls or causal-lm (default ${DEFAULT-VALUE}).")
  String task;

  @Option(
      names = "--num-labels",
      defaultValue = "${env:FLOTILLA_NUM_LABELS:-2}",
      description = "Classes for seq-cls (default ${DEFAULT-VALUE}).")
  int numLabels;

  @Option(
      names = "--epochs",
      defaultValue = "${env:FLOTILLA_EPOCHS:-1}",
      description = "Local epochs (default ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--max-steps",
      defaultValue = "${env:FLOTILLA_MAX_STEPS:-0}",
      description = "Optimizer steps; overrides --epochs when > 0.")
  int maxSteps;

  @Option(
      names = "--batch-size",
      defaultValue = "${env:FLOTILLA_BATCH_SIZE:-16}",
      description = "Batch size (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--learning-rate",
      defaultValue = "${env:FLOTILLA_LEARNING_RATE:-5e-4}",
      description = "Peak learning rate (default ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(
      names = "--warmup-ratio",
      defaultValue = "${env:FLOTILLA_WARMUP_RATIO:-0.1}",
      description = "Warm-up fraction of the steps (default ${DEFAULT-VALUE}).")
  double warmupRatio;

  @Option(
      names = "--weight-decay",
      defaultValue = "${env:FLOTILLA_WEIGHT_DECAY:-0}",
      description = "AdamW decoupled weight decay (default ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(
      names = "--proximal-mu",
      defaultValue = "${env:FLOTILLA_PROXIMAL_MU:-0}",
      description =
          "FedProx: adds μ/2·‖w − w_start‖² over the LoRA factors to the loss (default"
              + " ${DEFAULT-VALUE}: off).")
  double proximalMu;

  @Option(
      names = "--max-grad-norm",
      defaultValue = "${env:FLOTILLA_MAX_GRAD_NORM:-1.0}",
      description = "Global gradient-norm clip, 0 = off (default ${DEFAULT-VALUE}).")
  double maxGradNorm;

  @Option(
      names = "--eval-fraction",
      defaultValue = "${env:FLOTILLA_EVAL_FRACTION:-0.1}",
      description =
          "Fraction of the examples held out for a local evaluation, 0 = none; fewer than "
              + TrainJob.MIN_EVAL_EXAMPLES
              + " held out: none (default ${DEFAULT-VALUE}).")
  double evalFraction;

  @Option(
      names = "--max-seq-length",
      defaultValue = "${env:FLOTILLA_MAX_SEQ_LENGTH:-128}",
      description = "Truncation length in tokens (default ${DEFAULT-VALUE}).")
  int maxSeqLength;

  @Option(
      names = "--seed",
      defaultValue = "${env:FLOTILLA_SEED:-42}",
      description =
          "Seed: LoRA/head init (shared by all clients); shuffling and dropout are"
              + " seeded from it, the client id and the round (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--threads",
      defaultValue = "${env:FLOTILLA_THREADS:-0}",
      description = "PyTorch intra-op threads; 0 = all cores.")
  int threads;

  @Option(
      names = "--storage-endpoint",
      defaultValue = "${env:FLOTILLA_S3_ENDPOINT}",
      description = "S3 endpoint URL (env FLOTILLA_S3_ENDPOINT).")
  String endpoint;

  @Option(
      names = "--storage-bucket",
      defaultValue = "${env:FLOTILLA_S3_BUCKET}",
      description = "Federation bucket (env FLOTILLA_S3_BUCKET).")
  String bucket;

  @Option(
      names = "--storage-prefix",
      defaultValue = "${env:FLOTILLA_S3_PREFIX:-}",
      description = "Key prefix of the federation layout (env FLOTILLA_S3_PREFIX).")
  String prefix;

  @Option(
      names = "--storage-region",
      defaultValue = "${env:FLOTILLA_S3_REGION:-us-east-1}",
      description = "Signing region (default ${DEFAULT-VALUE}).")
  String region;

  @Option(
      names = "--storage-path-style",
      defaultValue = "${env:FLOTILLA_S3_PATH_STYLE:-true}",
      arity = "1",
      description = "Path-style addressing (default ${DEFAULT-VALUE}).")
  boolean pathStyle;

  @Option(
      names = "--base-model",
      defaultValue = "${env:FLOTILLA_BASE_MODEL}",
      required = true,
      description = "Hugging Face model directory, or s3://bucket/prefix/ (cached).")
  String baseModel;

  @Option(
      names = "--architecture",
      defaultValue = "${env:FLOTILLA_ARCHITECTURE:-auto}",
      description =
          "Architecture family: auto (from config.json model_type), bert or llama; an explicit"
              + " family must match a known model_type and decides the layout of an unknown one"
              + " (default ${DEFAULT-VALUE}).")
  String architecture;

  @Option(
      names = "--tokenizer",
      defaultValue = "${env:FLOTILLA_TOKENIZER}",
      description =
          "tokenizer.json when it is not in the base model directory: a file or directory,"
              + " s3://bucket/key or s3://bucket/prefix/ (env FLOTILLA_TOKENIZER).")
  String tokenizer;

  @Option(
      names = "--data",
      defaultValue = "${env:FLOTILLA_DATA}",
      required = true,
      description = "Data: .jsonl/.csv file, s3://bucket/key, or s3://bucket/prefix/.")
  String data;

  @Option(
      names = "--data-endpoint",
      description =
          "S3 endpoint of the data owner's own store serving --data (credentials: environment"
              + " FLOTILLA_DATA_ACCESS_KEY / FLOTILLA_DATA_SECRET_KEY); omitted: the Federation's.")
  String dataEndpoint;

  @Option(
      names = "--data-region",
      defaultValue = "us-east-1",
      description = "Signing region of the data store (default ${DEFAULT-VALUE}).")
  String dataRegion;

  @Option(
      names = "--data-path-style",
      defaultValue = "true",
      arity = "1",
      description = "Path-style addressing of the data store (default ${DEFAULT-VALUE}).")
  boolean dataPathStyle;

  @Option(
      names = "--grant",
      defaultValue = "${env:FLOTILLA_GRANT}",
      description =
          "Storage grant of this attempt (JSON of presigned URLs, written by the operator): the"
              + " only objects of the Federation's store the trainer may read and write."
              + " Omitted: credentials from FLOTILLA_S3_ACCESS_KEY / FLOTILLA_S3_SECRET_KEY.")
  String grant;

  @Option(
      names = "--start-adapter",
      defaultValue = "${env:FLOTILLA_START_ADAPTER}",
      description =
          "Starting adapter (PEFT directory or s3:// prefix); default:"
              + " rounds/<base-round>/ranks/<rank>/ of the layout.")
  String startAdapter;

  @Option(
      names = "--output-dir",
      description = "Write adapter + metrics.json to this directory instead of storage.")
  Path outputDir;

  @Option(
      names = "--cache-dir",
      defaultValue = "${env:FLOTILLA_CACHE_DIR}",
      description = "Cache for downloaded models (default ~/.cache/flotilla).")
  Path cacheDir;

  @Option(
      names = "--work-dir",
      defaultValue = "${env:FLOTILLA_WORK_DIR}",
      description = "Scratch directory (default: a temporary directory, deleted after).")
  Path workDir;

  @Override
  public Integer call() throws Exception {
    JobConfig config = toConfig(invocation());
    GracefulStop stop = GracefulStop.install(STOP_PATIENCE);
    try {
      ModelWorkspace.configureEngine(threads, config.cacheDir());
      boolean temporary = workDir == null;
      Path work = temporary ? Files.createTempDirectory("flotilla-trainer-") : workDir;
      Files.createDirectories(work);
      try (StorageClient storage = StorageClient.of(invocation())) {
        new TrainJob(withWorkDir(config, work), storage, stop).run();
        return ExitCode.OK.code();
      } finally {
        if (temporary) {
          FileTrees.deleteRecursively(work);
        }
      }
    } finally {
      stop.release();
    }
  }

  /** The parsed options as the invocation the operator and the local runtime build. */
  TrainerInvocation invocation() {
    if (outputDir == null && (endpoint == null || bucket == null)) {
      throw new BadInputException(
          "--storage-endpoint and --storage-bucket are required unless --output-dir is given");
    }
    DataAccess dataStorage =
        dataEndpoint == null ? null : new DataAccess(dataEndpoint, dataRegion, dataPathStyle);
    try {
      return new TrainerInvocation(
          federation,
          round,
          attempt,
          baseRound < 0 ? round - 1 : baseRound,
          clientId,
          rank,
          alpha,
          dropout,
          targetModules,
          new ModelOptions(
              baseModel,
              ModelOptions.parseArchitecture(architecture),
              tokenizer,
              ModelOptions.parseTask(task),
              numLabels,
              maxSeqLength),
          data,
          dataStorage,
          startAdapter,
          epochs,
          maxSteps,
          batchSize,
          learningRate,
          warmupRatio,
          weightDecay,
          maxGradNorm,
          evalFraction,
          seed,
          threads,
          endpoint == null || bucket == null
              ? null
              : new StorageAccess(endpoint, bucket, prefix, region, pathStyle),
          grant,
          outputDir == null ? null : outputDir.toString(),
          cacheDir == null ? null : cacheDir.toString(),
          workDir == null ? null : workDir.toString(),
          proximalMu);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage(), e);
    }
  }

  /**
   * Parses trainer arguments into the invocation they stand for, as the trainer itself does.
   *
   * @throws CommandLine.ParameterException when an option is unknown or malformed
   * @throws BadInputException when the values are inconsistent
   */
  public static TrainerInvocation parse(String... args) {
    TrainerMain main = new TrainerMain();
    new CommandLine(main).parseArgs(args);
    return main.invocation();
  }

  private static JobConfig toConfig(TrainerInvocation in) {
    long clientSeed = ClientSeeds.of(in.seed(), in.clientId(), in.round());
    try {
      LoraSettings lora =
          new LoraSettings(in.rank(), in.alpha(), in.dropout(), in.targetModules(), in.seed());
      TrainingSettings training =
          new TrainingSettings(
              in.epochs(),
              in.maxSteps(),
              in.batchSize(),
              in.learningRate(),
              in.warmupRatio(),
              in.weightDecay(),
              in.maxGradNorm(),
              clientSeed,
              in.proximalMu());
      Path cache = ModelWorkspace.cacheDir(in.cacheDir() == null ? null : Path.of(in.cacheDir()));
      return new JobConfig(
          in.federation(),
          in.round(),
          in.attempt(),
          in.baseRound(),
          in.clientId(),
          in.model().task(),
          in.model().numLabels(),
          lora,
          training,
          in.model().maxSeqLength(),
          in.evalFraction(),
          in.model().baseModel(),
          in.model().architecture(),
          in.model().tokenizer(),
          in.data(),
          in.startAdapter(),
          in.storage() == null || in.outputDir() != null ? null : in.storage().bucket(),
          in.storage() == null ? null : in.storage().prefix(),
          in.outputDir() == null ? null : Path.of(in.outputDir()),
          cache,
          in.workDir() == null ? null : Path.of(in.workDir()));
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage(), e);
    }
  }

  private static JobConfig withWorkDir(JobConfig c, Path work) {
    return new JobConfig(
        c.federation(),
        c.round(),
        c.attempt(),
        c.baseRound(),
        c.clientId(),
        c.task(),
        c.numLabels(),
        c.lora(),
        c.training(),
        c.maxSeqLength(),
        c.evalFraction(),
        c.baseModel(),
        c.architecture(),
        c.tokenizer(),
        c.data(),
        c.startAdapter(),
        c.bucket(),
        c.prefix(),
        c.outputDir(),
        c.cacheDir(),
        work);
  }

  /**
   * Maps an exception to its exit code and prints a one-line reason: bad input → 2; storage or
   * network failures (also when a client library wraps a socket error in an unchecked exception) →
   * 3; anything else → 1 with the stack trace.
   */
  static int exitCodeFor(Throwable e, PrintWriter err) {
    ExitCode code;
    if (e instanceof GracefulStop.StopRequested) {
      code = ExitCode.TRANSIENT;
    } else if (e instanceof BadInputException) {
      code = ExitCode.BAD_INPUT;
    } else if (e instanceof TransientException || causedByNetwork(e)) {
      code = ExitCode.TRANSIENT;
    } else {
      code = ExitCode.FAILURE;
    }
    StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
    Throwable cause = e.getCause();
    if (cause != null
        && cause.getMessage() != null
        && !message.toString().contains(cause.getMessage())) {
      message.append(": ").append(cause.getMessage());
    }
    err.println("flotilla-trainer: " + message);
    if (code == ExitCode.FAILURE) {
      e.printStackTrace(err);
    }
    err.flush();
    return code.code();
  }

  private static boolean causedByNetwork(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketException
          || t instanceof UnknownHostException
          || t instanceof InterruptedIOException) {
        return true;
      }
    }
    return false;
  }

  /** Runs the CLI: exit 0 ok, 1 failure, 2 bad input, 3 transient. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new TrainerMain());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> exitCodeFor(e, cmd.getErr()));
    cli.setParameterExceptionHandler(
        (e, args2) -> {
          e.getCommandLine().getErr().println("flotilla-trainer: " + e.getMessage());
          return ExitCode.BAD_INPUT.code();
        });
    return cli.execute(args);
  }

  /** Entry point: {@code java -cp … dev.flotilla.trainer.TrainerMain --help}. */
  public static void main(String[] args) {
    System.exit(run(args));
  }
}
