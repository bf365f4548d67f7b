package dev.flotilla.core.workload;

import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.core.aggregation.ServerOptimizerConfig;
import dev.flotilla.core.protocol.Action;
import dev.flotilla.core.protocol.ClientRef;
import dev.flotilla.core.spec.AggregationStrategy;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.spec.Weighting;
import java.util.List;
import java.util.Objects;

/**
 * Everything one aggregator run is told, as a value: built from a protocol action and the spec by
 * {@link #of}, rendered by {@link #toArgs}, and parsed back into an equal value by the aggregator
 * program.
 *
 * @param federation federation name
 * @param round round to aggregate
 * @param attempt round attempt
 * @param clients clients whose trainer succeeded, sorted; empty: every client of the plan
 * @param clientAttempts the attempt whose upload to take for each of {@code clients} (the attempt
 *     of its successful trainer: a retried round keeps the successes of earlier attempts); empty
 *     with {@code clients}: every upload is of {@code attempt}
 * @param strategy merge algorithm
 * @param globalRank rank of the global adapter
 * @param weighting client weights
 * @param alpha the federation's lora_alpha
 * @param taskType the federation's PEFT task type: uploads declaring another are rejected
 * @param baseModel the federation's base model as trainers name it in {@code
 *     base_model_name_or_path} (its URI); uploads naming another are rejected, and the published
 *     adapters carry it; null: not compared
 * @param ranks client ranks to redistribute the global adapter to, ascending; empty: the plan's
 * @param minClients quorum of accepted uploads
 * @param normOutlierFactor uploads whose update norm exceeds this multiple of the median are
 *     rejected
 * @param failedRounds rounds failed so far, recorded in the manifest
 * @param seed the federation's training seed (rebuilds the trainers' fresh head for round 0)
 * @param linalg dense kernels of FlexLoRA: auto, openblas or java
 * @param storage object storage
 * @param grant file holding this attempt's {@link dev.flotilla.core.storage.StorageGrant}; null:
 *     storage credentials from the environment
 * @param workDir scratch directory
 * @param evaluation held-out evaluation of the global adapter; null: none
 * @param baseRound the committed round the clients started from (0: fresh adapters; -1: not given,
 *     the plan's, with no base-round objects in the grant); the aggregator reads its adapters and
 *     server optimizer state, and checks it against the plan
 * @param serverOptimizer the server optimizer applied to the aggregate
 */
public record AggregatorInvocation(
    String federation,
    int round,
    int attempt,
    List<String> clients,
    List<Integer> clientAttempts,
    AggregationStrategy strategy,
    int globalRank,
    Weighting weighting,
    double alpha,
    TaskType taskType,
    String baseModel,
    List<Integer> ranks,
    int minClients,
    double normOutlierFactor,
    int failedRounds,
    long seed,
    String linalg,
    StorageAccess storage,
    String grant,
    String workDir,
    Evaluation evaluation,
    int baseRound,
    ServerOptimizerConfig serverOptimizer) {

  /** Norm outlier factor of federation aggregators (the spec has no field for it). */
  public static final double DEFAULT_NORM_OUTLIER_FACTOR = 10;

  /** Kernel choice of federation aggregators: OpenBLAS when its native library loads. */
  public static final String DEFAULT_LINALG = "auto";

  /**
   * Held-out evaluation settings.
   *
   * @param data held-out data location
   * @param model how to load the base model (the trainers' settings)
   * @param batchSize evaluation batch size
   * @param threads PyTorch threads; 0: all cores
   * @param cacheDir model and engine cache; null: the user's cache
   */
  public record Evaluation(
      String data, ModelOptions model, int batchSize, int threads, String cacheDir) {
    /** Checks the fields. */
    public Evaluation {
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(model, "model");
    }

    void addTo(ProgramArguments args) {
      args.add("eval-data", data);
      model.addTo(args);
      args.add("eval-batch-size", batchSize).add("threads", threads).add("cache-dir", cacheDir);
    }
  }

  /** Checks the fields and copies the lists. */
  public AggregatorInvocation {
    Objects.requireNonNull(federation, "federation");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(weighting, "weighting");
    Objects.requireNonNull(taskType, "taskType");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(serverOptimizer, "serverOptimizer");
    if (baseRound < -1 || baseRound >= round) {
      throw new IllegalArgumentException(
          "baseRound must be in [-1, round), got " + baseRound + " for round " + round);
    }
    clients = List.copyOf(clients);
    clientAttempts = List.copyOf(clientAttempts);
    ranks = List.copyOf(ranks);
    if (!clientAttempts.isEmpty() && clientAttempts.size() != clients.size()) {
      throw new IllegalArgumentException(
          clientAttempts.size() + " client attempts for " + clients.size() + " clients");
    }
    for (int a : clientAttempts) {
      if (a < 1 || a > attempt) {
        throw new IllegalArgumentException(
            "client attempt " + a + " outside 1.." + attempt + " (the round attempt)");
      }
    }
  }

  /** The attempt whose upload of {@code clientId} this aggregator takes. */
  public int attemptOf(String clientId) {
    int index = clients.indexOf(clientId);
    return index < 0 || clientAttempts.isEmpty() ? attempt : clientAttempts.get(index);
  }

  /**
   * The aggregator {@code action} asks for, in federation {@code federation}, run at {@code site}.
   */
  public static AggregatorInvocation of(
      String federation, FederationSpec spec, Action.CreateAggregator action, WorkloadSite site) {
    Evaluation evaluation =
        spec.getEvaluation() == null
            ? null
            : new Evaluation(
                spec.getEvaluation().getDataUri(),
                ModelOptions.of(spec),
                spec.getTraining().getBatchSize(),
                site.threads(),
                site.cacheDir());
    return new AggregatorInvocation(
        federation,
        action.round(),
        action.attempt(),
        action.clients().stream().map(ClientRef::id).toList(),
        action.clientAttempts(),
        spec.getAggregation().getStrategy(),
        spec.getAggregation().getGlobalRank(),
        spec.getAggregation().getWeighting(),
        spec.getLora().getAlpha(),
        ModelOptions.of(spec).task(),
        spec.getBaseModel().getUri(),
        action.clientRanks(),
        spec.getSampling().getMinClients(),
        DEFAULT_NORM_OUTLIER_FACTOR,
        action.failedRounds(),
        spec.getTraining().getSeed(),
        DEFAULT_LINALG,
        StorageAccess.of(spec.getStorage(), site),
        site.grantFile(),
        site.workDir(),
        evaluation,
        action.baseRound(),
        ServerOptimizerOptions.of(spec.getAggregation().getServerOptimizer()));
  }

  /** The program arguments (credentials are not among them: they come from the environment). */
  public List<String> toArgs() {
    ProgramArguments args =
        new ProgramArguments()
            .add("federation", federation)
            .add("round", round)
            .add("attempt", attempt)
            .addList("clients", clients)
            .addList("client-attempts", clientAttempts)
            .add("strategy", strategy)
            .add("global-rank", globalRank)
            .add("weighting", weighting)
            .add("alpha", alpha)
            .add("task-type", taskType)
            .add("base-model-name", baseModel)
            .addList("ranks", ranks)
            .add("min-clients", minClients)
            .add("norm-outlier-factor", normOutlierFactor)
            .add("failed-rounds", failedRounds)
            .add("seed", seed)
            .add("linalg", linalg)
            .add("base-round", baseRound);
    ServerOptimizerOptions.addTo(serverOptimizer, args);
    storage.addTo(args);
    args.add("grant", grant).add("work-dir", workDir);
    if (evaluation != null) {
      evaluation.addTo(args);
    }
    return args.toList();
  }
}
