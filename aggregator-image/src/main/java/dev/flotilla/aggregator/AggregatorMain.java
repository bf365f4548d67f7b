package dev.flotilla.aggregator;

import dev.flotilla.core.aggregation.AggregationStrategyType;
import dev.flotilla.core.aggregation.LinearAlgebra;
import dev.flotilla.core.aggregation.Weighting;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.S3ObjectStore;
import dev.flotilla.core.storage.S3Settings;
import dev.flotilla.core.storage.StorageLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
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
      description = "Reject updates whose norm exceeds this multiple of the median (default 10).")
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

  @CommandLine.Mixin EvaluationOptions evaluation = new EvaluationOptions();

  /** Runs the aggregator; exits with one of the documented codes. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the aggregator and returns the exit code (for tests and the local runtime). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new AggregatorMain());
    cli.setParameterExceptionHandler(
        (e, a) -> {
          e.getCommandLine().getErr().println("flotilla-aggregator: " + e.getMessage());
          return ExitCodes.BAD_INPUT;
        });
    return cli.execute(args);
  }

  @Override
  public Integer call() {
    PrintWriter err = new PrintWriter(System.err, true);
    try {
      selectLinearAlgebra();
      err.println("flotilla-aggregator: linear algebra " + LinearAlgebra.describe());
      RoundAggregation.Outcome outcome = aggregation().run();
      System.out.println(
          "flotilla-aggregator: federation "
              + federation
              + " round "
              + round
              + (outcome == RoundAggregation.Outcome.COMMITTED
                  ? " committed"
                  : " was already committed"));
      return ExitCodes.OK;
    } catch (BadInputException
        | QuorumNotMetException
        | HeldOutEvaluator.EvaluationInputException
        | IllegalArgumentException e) {
      err.println("flotilla-aggregator: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } catch (IOException e) {
      err.println("flotilla-aggregator: storage failure: " + e.getMessage());
      return ExitCodes.TRANSIENT;
    } catch (RuntimeException e) {
      err.println("flotilla-aggregator: unexpected failure: " + e);
      e.printStackTrace(err);
      return ExitCodes.FAILURE;
    }
  }

  private void selectLinearAlgebra() {
    try {
      LinearAlgebra.select(linalg);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--linalg: " + e.getMessage(), e);
    }
  }

  private RoundAggregation aggregation() throws IOException, BadInputException {
    ObjectStore store = S3ObjectStore.open(storageSettings());
    StorageLayout layout = new StorageLayout(bucket, prefix, federation);
    RoundAggregation.Settings settings =
        new RoundAggregation.Settings(
            round,
            attempt,
            new HashSet<>(clients),
            AggregationStrategyType.forName(strategy),
            globalRank,
            Weighting.forName(weighting),
            alpha,
            new TreeSet<>(ranks),
            minClients,
            outlierFactor,
            failedRounds,
            seed);
    Optional<Evaluator> evaluator = evaluation.evaluator(storageSettings(), workDir);
    return new RoundAggregation(store, layout, workDir, evaluator, settings);
  }

  private S3Settings storageSettings() {
    return new S3Settings(
        endpoint,
        region,
        System.getenv("FLOTILLA_S3_ACCESS_KEY"),
        System.getenv("FLOTILLA_S3_SECRET_KEY"),
        bucket,
        pathStyle,
        false);
  }
}
