package dev.flotilla.local.run;

import static java.util.Locale.ROOT;

import dev.flotilla.core.protocol.Action;
import dev.flotilla.core.protocol.ClientRef;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.spec.TaskKind;
import dev.flotilla.core.spec.TrainingSpec;
import dev.flotilla.local.process.JavaCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * Turns the protocol's create actions into local command lines (the spec's URIs are already local,
 * see {@link FederationBundle}): the trainer and aggregator CLIs with the same options the operator
 * puts into its Jobs, storage pointing at the embedded server and credentials passed only through
 * the environment.
 */
public final class WorkloadCommands {
  /** Main class of the trainer. */
  public static final String TRAINER_MAIN = "dev.flotilla.trainer.TrainerMain";

  /** Main class of the aggregator. */
  public static final String AGGREGATOR_MAIN = "dev.flotilla.aggregator.AggregatorMain";

  /**
   * Where the workloads run.
   *
   * @param endpoint embedded S3 endpoint
   * @param accessKey its access key
   * @param secretKey its secret key
   * @param threads PyTorch threads per process
   * @param cacheDir model/data cache shared by the processes
   * @param scratchDir parent of the per-workload scratch directories
   */
  public record Environment(
      String endpoint,
      String accessKey,
      String secretKey,
      int threads,
      Path cacheDir,
      Path scratchDir) {}

  private final String federation;
  private final FederationSpec spec;
  private final JavaCommand java;
  private final Environment env;

  /** Commands for federation {@code federation} with {@code spec}. */
  public WorkloadCommands(
      String federation, FederationSpec spec, JavaCommand java, Environment env) {
    this.federation = federation;
    this.spec = spec;
    this.java = java;
    this.env = env;
  }

  /** Environment variables of every workload (credentials never go on the command line). */
  public Map<String, String> environment() {
    Map<String, String> variables = new HashMap<>();
    variables.put("FLOTILLA_S3_ACCESS_KEY", env.accessKey());
    variables.put("FLOTILLA_S3_SECRET_KEY", env.secretKey());
    variables.put("OMP_NUM_THREADS", Integer.toString(env.threads()));
    if (System.getenv("DJL_CACHE_DIR") == null) {
      String djl = env.cacheDir().resolve("djl").toString();
      variables.put("DJL_CACHE_DIR", djl);
      variables.put("ENGINE_CACHE_DIR", djl);
    }
    return variables;
  }

  /** The trainer command for {@code action}; {@code baseRound} is the round it starts from. */
  public List<String> trainer(Action.CreateTrainer action, int baseRound) {
    ClientRef client = action.client();
    TrainingSpec training = spec.getTraining();
    List<String> args = new ArrayList<>();
    add(args, "--federation", federation);
    add(args, "--round", action.round());
    add(args, "--attempt", action.attempt());
    add(args, "--base-round", baseRound);
    add(args, "--client-id", client.id());
    add(args, "--rank", client.rank());
    add(args, "--alpha", spec.getLora().getAlpha());
    add(args, "--dropout", spec.getLora().getDropout());
    add(args, "--target-modules", String.join(",", spec.getLora().getTargetModules()));
    add(args, "--task", spec.getTask().getType() == TaskKind.CAUSAL_LM ? "causal-lm" : "seq-cls");
    if (spec.getTask().getNumLabels() != null) {
      add(args, "--num-labels", spec.getTask().getNumLabels());
    }
    if (training.getMaxSteps() != null) {
      add(args, "--epochs", 0);
      add(args, "--max-steps", training.getMaxSteps());
    } else {
      add(args, "--epochs", training.epochsOrDefault());
    }
    add(args, "--batch-size", training.getBatchSize());
    add(args, "--learning-rate", training.getLearningRate());
    add(args, "--warmup-ratio", training.getWarmupRatio());
    add(args, "--max-seq-length", training.getMaxSeqLength());
    add(args, "--seed", training.getSeed());
    add(args, "--threads", env.threads());
    storage(args);
    add(args, "--base-model", spec.getBaseModel().getUri());
    if (spec.getBaseModel().getArchitecture() != null) {
      add(args, "--architecture", spec.getBaseModel().getArchitecture().name().toLowerCase(ROOT));
    }
    if (spec.getBaseModel().getTokenizer() != null) {
      add(args, "--tokenizer", spec.getBaseModel().getTokenizer());
    }
    add(args, "--data", client.dataUri());
    if (action.startingAdapterPrefix() != null) {
      add(args, "--start-adapter", s3(action.startingAdapterPrefix()));
    }
    add(args, "--cache-dir", env.cacheDir());
    add(args, "--work-dir", env.scratchDir().resolve(action.name()));
    return java.command(TRAINER_MAIN, args);
  }

  /**
   * The aggregator command for {@code action}.
   *
   * @param ranks every client rank of the federation (next round's clients need one of them)
   * @param failedRounds rounds failed so far
   */
  public List<String> aggregator(
      Action.CreateAggregator action, SortedSet<Integer> ranks, int failedRounds) {
    List<String> args = new ArrayList<>();
    add(args, "--federation", federation);
    add(args, "--round", action.round());
    add(args, "--attempt", action.attempt());
    add(args, "--clients", String.join(",", action.clients().stream().map(ClientRef::id).toList()));
    add(args, "--strategy", spec.getAggregation().getStrategy().name());
    add(args, "--global-rank", spec.getAggregation().getGlobalRank());
    add(args, "--weighting", spec.getAggregation().getWeighting().name());
    add(args, "--alpha", spec.getLora().getAlpha());
    add(args, "--ranks", String.join(",", ranks.stream().map(String::valueOf).toList()));
    add(args, "--min-clients", spec.getSampling().getMinClients());
    add(args, "--failed-rounds", failedRounds);
    storage(args);
    add(args, "--work-dir", env.scratchDir().resolve(action.name()));
    if (spec.getEvaluation() != null) {
      TrainingSpec training = spec.getTraining();
      add(args, "--eval-data", spec.getEvaluation().getDataUri());
      add(args, "--base-model", spec.getBaseModel().getUri());
      add(args, "--task", spec.getTask().getType() == TaskKind.CAUSAL_LM ? "causal-lm" : "seq-cls");
      if (spec.getTask().getNumLabels() != null) {
        add(args, "--num-labels", spec.getTask().getNumLabels());
      }
      add(args, "--max-seq-length", training.getMaxSeqLength());
      add(args, "--eval-batch-size", training.getBatchSize());
      add(args, "--seed", training.getSeed());
      add(args, "--threads", env.threads());
      add(args, "--cache-dir", env.cacheDir());
    }
    return java.command(AGGREGATOR_MAIN, args);
  }

  private void storage(List<String> args) {
    add(args, "--storage-endpoint", env.endpoint());
    add(args, "--storage-bucket", spec.getStorage().getBucket());
    add(args, "--storage-prefix", spec.getStorage().getPrefix());
    add(args, "--storage-region", spec.getStorage().getRegion());
    add(args, "--storage-path-style", "true");
  }

  private String s3(String key) {
    return "s3://" + spec.getStorage().getBucket() + "/" + key;
  }

  private static void add(List<String> args, String option, Object value) {
    args.add(option);
    args.add(String.valueOf(value));
  }
}
