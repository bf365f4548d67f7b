package dev.flotilla.aggregator;

import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.core.aggregation.AggregationStrategyType;
import dev.flotilla.core.aggregation.DenseKernels;
import dev.flotilla.core.aggregation.Weighting;
import dev.flotilla.core.spec.AggregationStrategy;
import dev.flotilla.core.storage.GrantedObjectStore;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.S3ObjectStore;
import dev.flotilla.core.storage.S3Settings;
import dev.flotilla.core.storage.StorageGrant;
import dev.flotilla.core.storage.StorageJson;
import dev.flotilla.core.storage.StorageLayout;
import dev.flotilla.core.workload.AggregatorInvocation;
import dev.flotilla.core.workload.ExitCode;
import dev.flotilla.core.workload.StorageAccess;
import dev.flotilla.core.workload.WorkloadEnvironment;
import dev.flotilla.model.BucketStores;
import dev.flotilla.model.StorageClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command line of the aggregator: aggregates and commits one federation round. */
@Command(
    name = "flotilla-aggregator",
    mixinStandardHelpOptions = true,
    description = {
      "Validates a round's client uploads, merges the accepted ones, writes the global and",
      "per-rank adapters (PEFT layout), evaluates, and writes the round manifest last.",
      "Storage credentials come from FLOTILLA_S3_ACCESS_KEY / FLOTILLA_S3_SECRET_KEY."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:round committed (now or earlier)",
      "1:unexpected failure",
      "2:bad input (options, missing plan, quorum not met)",
      "3:transient failure (object storage)"
    })
public final class AggregatorMain implements Callable<Integer> {
  @Option(names = "--federation", required = true, description = "Federation name.")
  String federation;

  @Option(names = "--round", required = true, description = "Round to aggregate.")
  int round;

  @Option(names = "--attempt", defaultValue = "1", description = "Round attempt (default 1).")
  int attempt;

  @Option(
      names = "--clients",
      split = ",",
      description = "Clients whose trainer succeeded; default: every client of the plan.")
  List<String> clients = List.of();

  @Option(
      names = "--client-attempts",
      split = ",",
      description =
          "For each of --clients, in order, the attempt whose upload to take (the attempt of its"
              + " successful trainer); default: every upload is of --attempt.")
  List<Integer> clientAttempts = List.of();

  @Option(
      names = "--strategy",
      defaultValue = "FLEXLORA",
      description = "FLEXLORA, HETLORA or FEDAVG.")
  String strategy;

  @Option(names = "--global-rank", defaultValue = "16", description = "Rank of the global adapter.")
  int globalRank;

  @Option(names = "--weighting", defaultValue = "SAMPLES", description = "SAMPLES or UNIFORM.")
  String weighting;

  @Option(names = "--alpha", defaultValue = "16", description = "The federation's lora_alpha.")
  double alpha;

  @Option(
      names = "--task-type",
      required = true,
      description =
          "The federation's PEFT task_type, SEQ_CLS or CAUSAL_LM: uploads of another are"
              + " rejected.")
  TaskType taskType;

  @Option(
      names = "--base-model-name",
      description =
          "The federation's base model as trainers name it in base_model_name_or_path (its URI):"
              + " uploads naming another are rejected; published adapters carry it.")
  String baseModelName;

  @Option(
      names = "--ranks",
      split = ",",
      description =
          "Client ranks to redistribute to (all ranks of the federation); default: the"
              + " ranks in the plan.")
  List<Integer> ranks = List.of();

  @Option(names = "--min-clients", defaultValue = "1", description = "Quorum of accepted uploads.")
  int minClients;

  @Option(
      names = "--norm-outlier-factor",
      defaultValue = "10",
      description =
          "Reject updates whose norm ‖B·A‖ (without α/r) exceeds this multiple of the median"
              + " (default 10).")
  double outlierFactor;

  @Option(
      names = "--failed-rounds",
      defaultValue = "0",
      description = "Rounds failed so far, recorded in the manifest.")
  int failedRounds;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description =
          "The federation's training seed; with --eval-data, a round starting from fresh adapters"
              + " also scores the untrained starting point (default 42, the trainer's).")
  long seed;

  @Option(names = "--storage-endpoint", required = true, description = "S3 endpoint URL.")
  String endpoint;

  @Option(names = "--storage-bucket", required = true, description = "Bucket.")
  String bucket;

  @Option(names = "--storage-prefix", defaultValue = "flotilla", description = "Key prefix.")
  String prefix;

  @Option(names = "--storage-region", defaultValue = "us-east-1", description = "Signing region.")
  String region;

  @Option(
      names = "--storage-path-style",
      defaultValue = "true",
      arity = "1",
      description = "Path-style addressing (default true).")
  boolean pathStyle;

  @Option(
      names = "--grant",
      description =
          "Storage grant of this attempt (JSON of presigned URLs, written by the operator): the"
              + " only objects the aggregator may read and write. Omitted: credentials from"
              + " FLOTILLA_S3_ACCESS_KEY / FLOTILLA_S3_SECRET_KEY.")
  String grant;

  @Option(
      names = "--work-dir",
      defaultValue = "${java.io.tmpdir}/flotilla-aggregator",
      description = "Scratch directory.")
  Path workDir;

  @Option(
      names = "--linalg",
      defaultValue = "auto",
      description =
          "Dense kernels of FlexLoRA: auto (default: OpenBLAS when its native library loads),"
              + " openblas or java (pure Java + EJML). Both compute in double precision.")
  String linalg;

  @Option(
      names = "--base-round",
      defaultValue = "-1",
      description =
          "The committed round the clients started from (0: fresh adapters); checked against the"
              + " plan (default: the plan's). Its adapters and server optimizer state are the"
              + " previous point of a server optimizer step.")
  int baseRound;

  @CommandLine.Mixin ServerOptimizerArguments serverOptimizer = new ServerOptimizerArguments();

  @CommandLine.Mixin EvaluationOptions evaluation = new EvaluationOptions();

  /** Runs the aggregator; exits with one of the documented codes. */
  public static void main(String[] args) {
    Thread.setDefaultUncaughtExceptionHandler(AggregatorMain::halt);
    System.exit(run(args));
  }

  /**
   * Ends the process at once with exit code 1 when an error escapes every handler (an
   * OutOfMemoryError, say): otherwise the HTTP client's non-daemon threads keep the broken JVM
   * alive for a minute before it exits.
   */
  private static void halt(Thread thread, Throwable error) {
    try {
      System.err.println(
          "flotilla-aggregator: unexpected failure in " + thread.getName() + ": " + error);
      error.printStackTrace();
    } finally {
      Runtime.getRuntime().halt(ExitCode.FAILURE.code());
    }
  }

  /** Runs the aggregator and returns the exit code (for tests and the local runtime). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new AggregatorMain());
    cli.setParameterExceptionHandler(
        (e, a) -> {
          e.getCommandLine().getErr().println("flotilla-aggregator: " + e.getMessage());
          return ExitCode.BAD_INPUT.code();
        });
    return cli.execute(args);
  }

  /**
   * Parses aggregator arguments into the invocation they stand for, as the aggregator does.
   *
   * @throws CommandLine.ParameterException when an option is unknown or malformed
   * @throws IllegalArgumentException when the values are inconsistent
   */
  public static AggregatorInvocation parse(String... args) {
    AggregatorMain main = new AggregatorMain();
    new CommandLine(main).parseArgs(args);
    return main.invocation();
  }

  /** The parsed options as the invocation the operator and the local runtime build. */
  AggregatorInvocation invocation() {
    return new AggregatorInvocation(
        federation,
        round,
        attempt,
        clients,
        clientAttempts,
        AggregationStrategy.valueOf(AggregationStrategyType.forName(strategy).name()),
        globalRank,
        dev.flotilla.core.spec.Weighting.valueOf(Weighting.forName(weighting).name()),
        alpha,
        taskType,
        baseModelName,
        ranks.stream().sorted().distinct().toList(),
        minClients,
        outlierFactor,
        failedRounds,
        seed,
        linalg,
        new StorageAccess(endpoint, bucket, prefix, region, pathStyle),
        grant,
        workDir.toString(),
        evaluation.invocation(),
        baseRound,
        serverOptimizer.config());
  }

  @Override
  public Integer call() {
    PrintWriter err = new PrintWriter(System.err, true);
    try {
      AggregatorInvocation in = invocation();
      DenseKernels kernels = kernels(in.linalg());
      err.println("flotilla-aggregator: linear algebra " + kernels.describe());
      RoundAggregation.Outcome outcome = aggregation(in, kernels).run();
      System.out.println(
          "flotilla-aggregator: federation "
              + in.federation()
              + " round "
              + in.round()
              + (outcome == RoundAggregation.Outcome.COMMITTED
                  ? " committed"
                  : " was already committed"));
      return ExitCode.OK.code();
    } catch (BadInputException
        | QuorumNotMetException
        | HeldOutEvaluator.EvaluationInputException
        | IllegalArgumentException e) {
      err.println("flotilla-aggregator: " + e.getMessage());
      return ExitCode.BAD_INPUT.code();
    } catch (IOException e) {
      err.println("flotilla-aggregator: storage failure: " + e.getMessage());
      return ExitCode.TRANSIENT.code();
    } catch (RuntimeException e) {
      err.println("flotilla-aggregator: unexpected failure: " + e);
      e.printStackTrace(err);
      return ExitCode.FAILURE.code();
    }
  }

  private static DenseKernels kernels(String linalg) {
    try {
      return DenseKernels.forName(linalg);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--linalg: " + e.getMessage(), e);
    }
  }

  private RoundAggregation aggregation(AggregatorInvocation in, DenseKernels kernels)
      throws IOException, BadInputException {
    StorageAccess storage = in.storage();
    StorageGrant grant = in.grant() == null ? null : readGrant(Path.of(in.grant()));
    ObjectStore store =
        grant == null
            ? S3ObjectStore.open(storageSettings(storage))
            : new GrantedObjectStore(grant, storage.bucket());
    StorageLayout layout = new StorageLayout(storage.bucket(), storage.prefix(), in.federation());
    RoundAggregation.Settings settings =
        new RoundAggregation.Settings(
            in.round(),
            in.attempt(),
            new HashSet<>(in.clients()),
            AggregationStrategyType.forName(in.strategy().name()),
            in.globalRank(),
            Weighting.forName(in.weighting().name()),
            in.alpha(),
            new TreeSet<>(in.ranks()),
            in.minClients(),
            in.normOutlierFactor(),
            in.failedRounds(),
            in.seed(),
            in.baseRound(),
            in.serverOptimizer());
    Path work = Path.of(in.workDir());
    Optional<Evaluator> evaluator = evaluation.evaluator(buckets(storage, grant), work);
    return new RoundAggregation(
        store,
        layout,
        work,
        evaluator,
        settings,
        new UploadChecks(in.attempt(), in.alpha(), in.taskType(), in.baseModel(), attempts(in)),
        kernels);
  }

  private static Map<String, Integer> attempts(AggregatorInvocation in) {
    Map<String, Integer> attempts = new HashMap<>();
    in.clients().forEach(c -> attempts.put(c, in.attemptOf(c)));
    return attempts;
  }

  /** The stores the evaluation downloads from: the grant's objects, or credentials. */
  private static BucketStores buckets(StorageAccess storage, StorageGrant grant) {
    if (grant != null) {
      return bucket -> new GrantedObjectStore(grant, bucket);
    }
    return StorageClient.withCredentials(
        storage,
        StorageClient.Credentials.fromEnvironment(
            WorkloadEnvironment.ACCESS_KEY, WorkloadEnvironment.SECRET_KEY));
  }

  private static StorageGrant readGrant(Path file) throws BadInputException {
    try {
      return StorageJson.read(Files.readAllBytes(file), StorageGrant.class, file.toString());
    } catch (IOException e) {
      throw new BadInputException("storage grant " + file + ": " + e.getMessage());
    }
  }

  private static S3Settings storageSettings(StorageAccess storage) {
    return new S3Settings(
        storage.endpoint(),
        storage.region(),
        System.getenv(WorkloadEnvironment.ACCESS_KEY),
        System.getenv(WorkloadEnvironment.SECRET_KEY),
        storage.bucket(),
        storage.pathStyle(),
        false);
  }
}
