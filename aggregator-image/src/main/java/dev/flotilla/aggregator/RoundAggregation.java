package dev.flotilla.aggregator;

import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.aggregation.AggregationConfig;
import dev.flotilla.core.aggregation.AggregationResult;
import dev.flotilla.core.aggregation.AggregationStrategy;
import dev.flotilla.core.aggregation.AggregationStrategyType;
import dev.flotilla.core.aggregation.ClientUpdate;
import dev.flotilla.core.aggregation.DenseKernels;
import dev.flotilla.core.aggregation.ModuleDiagnostics;
import dev.flotilla.core.aggregation.ServerHistory;
import dev.flotilla.core.aggregation.ServerOptimizerConfig;
import dev.flotilla.core.aggregation.Weighting;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.RoundManifest;
import dev.flotilla.core.storage.RoundManifest.AcceptedClient;
import dev.flotilla.core.storage.RoundManifest.AggregationDiagnostics;
import dev.flotilla.core.storage.RoundManifest.FailedClient;
import dev.flotilla.core.storage.RoundPlan;
import dev.flotilla.core.storage.RoundPlan.PlannedClient;
import dev.flotilla.core.storage.RoundStore;
import dev.flotilla.core.storage.Sha256;
import dev.flotilla.core.storage.StorageLayout;
import dev.flotilla.model.AdapterPublisher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Aggregates one round and commits it: screen the uploads, merge the accepted ones, upload the
 * global and per-rank adapters, evaluate, and write the manifest LAST. Deterministic for the same
 * uploads (clients sorted, deterministic math), so re-running after a crash rewrites identical
 * adapters; an already committed round is left untouched.
 */
public final class RoundAggregation {
  /**
   * What to aggregate and how.
   *
   * @param round round number
   * @param attempt round attempt being aggregated
   * @param clients clients to consider (the protocol's succeeded trainers); empty: the whole plan
   * @param strategy merge algorithm
   * @param globalRank rank of the global adapter
   * @param weighting client weights
   * @param alpha the federation's {@code lora_alpha}
   * @param clientRanks ranks to redistribute to; empty: the ranks in the plan
   * @param minClients quorum of accepted uploads
   * @param outlierFactor reject updates with a norm above this multiple of the median
   * @param failedRounds rounds failed before this one, recorded in the manifest
   * @param seed the federation's training seed (the trainers' LoRA and head init), used to score
   *     the untrained starting point of a round that starts from fresh adapters
   * @param baseRound the base round the caller expects (checked against the plan); -1: the plan's
   * @param serverOptimizer the server optimizer applied to the aggregate
   */
  public record Settings(
      int round,
      int attempt,
      Set<String> clients,
      AggregationStrategyType strategy,
      int globalRank,
      Weighting weighting,
      double alpha,
      SortedSet<Integer> clientRanks,
      int minClients,
      double outlierFactor,
      int failedRounds,
      long seed,
      int baseRound,
      ServerOptimizerConfig serverOptimizer) {
    /** Copies the collections. */
    public Settings {
      clients = Set.copyOf(clients);
      clientRanks = new TreeSet<>(clientRanks);
      Objects.requireNonNull(serverOptimizer, "serverOptimizer");
    }

    /** Settings without a server optimizer, taking the plan's base round. */
    public Settings(
        int round,
        int attempt,
        Set<String> clients,
        AggregationStrategyType strategy,
        int globalRank,
        Weighting weighting,
        double alpha,
        SortedSet<Integer> clientRanks,
        int minClients,
        double outlierFactor,
        int failedRounds,
        long seed) {
      this(
          round,
          attempt,
          clients,
          strategy,
          globalRank,
          weighting,
          alpha,
          clientRanks,
          minClients,
          outlierFactor,
          failedRounds,
          seed,
          -1,
          ServerOptimizerConfig.NONE);
    }
  }

  /** How a run ended. */
  public enum Outcome {
    /** This run wrote the manifest. */
    COMMITTED,
    /** The manifest already existed; nothing was written. */
    ALREADY_COMMITTED
  }

  /**
   * Prefix of the held-out metrics of the untrained starting point, recorded in the manifest of a
   * round whose clients started from fresh adapters (e.g. {@code untrained_accuracy}).
   */
  public static final String UNTRAINED_PREFIX = "untrained_";

  /** Failure reason of a sampled client missing from {@code --clients}. */
  static final String UNSUCCESSFUL_TRAINER = "TrainerNotSucceeded";

  /** Failure reason of a client without metrics.json (no complete upload). */
  static final String NO_COMPLETE_UPLOAD = "NoCompleteUpload";

  private final RoundStore rounds;
  private final UploadScreen screen;
  private final AdapterPublisher publisher;
  private final Optional<Evaluator> evaluator;
  private final Settings settings;
  private final DenseKernels kernels;

  /**
   * The aggregation of {@code settings.round()} of the federation laid out by {@code layout} in
   * {@code store}, staging adapter files under {@code scratch}, screening uploads with {@code
   * checks}, merging with {@code kernels} and scoring the global adapter with {@code evaluator}
   * when present.
   *
   * @throws IllegalArgumentException when the outlier factor is not greater than 1
   */
  public RoundAggregation(
      ObjectStore store,
      StorageLayout layout,
      Path scratch,
      Optional<Evaluator> evaluator,
      Settings settings,
      UploadChecks checks,
      DenseKernels kernels) {
    this(
        new RoundStore(store, layout),
        new UploadScreen(
            new UploadReader(store, layout, UploadLimits.ofThisJvm()),
            checks,
            settings.outlierFactor()),
        new AdapterPublisher(store, scratch),
        evaluator,
        settings,
        kernels);
  }

  /** An aggregation with explicit parts (tests choose the screen's limits). */
  RoundAggregation(
      RoundStore rounds,
      UploadScreen screen,
      AdapterPublisher publisher,
      Optional<Evaluator> evaluator,
      Settings settings,
      DenseKernels kernels) {
    this.rounds = rounds;
    this.screen = screen;
    this.publisher = publisher;
    this.evaluator = evaluator;
    this.settings = settings;
    this.kernels = kernels;
  }

  /**
   * Runs the aggregation.
   *
   * @throws BadInputException when the plan is missing or names no requested client
   * @throws QuorumNotMetException when too few uploads are acceptable
   * @throws IOException on storage failures (transient)
   */
  public Outcome run() throws IOException, BadInputException, QuorumNotMetException {
    int round = settings.round();
    StorageLayout layout = rounds.layout();
    if (rounds.isCommitted(round)) {
      return Outcome.ALREADY_COMMITTED;
    }
    RoundPlan plan =
        rounds
            .readPlan(round)
            .orElseThrow(() -> new BadInputException("no round plan at " + layout.planKey(round)));
    if (settings.baseRound() >= 0 && settings.baseRound() != plan.baseRound()) {
      throw new BadInputException(
          "--base-round "
              + settings.baseRound()
              + " differs from the base round "
              + plan.baseRound()
              + " of the plan of round "
              + round);
    }
    List<PlannedClient> clients = selectClients(plan);
    Screening screening = withUnselectedAsFailed(plan, screen.screen(round, clients));
    AggregationLog.screened(round, screening);
    if (screening.accepted().size() < settings.minClients()) {
      throw new QuorumNotMetException(round, settings.minClients(), screening);
    }
    SortedSet<Integer> ranks = new TreeSet<>(settings.clientRanks());
    if (ranks.isEmpty()) {
      plan.clients().forEach(c -> ranks.add(c.rank()));
    }
    AggregationConfig config =
        new AggregationConfig(
            settings.strategy(),
            settings.globalRank(),
            settings.weighting(),
            settings.alpha(),
            ranks,
            paddingSeed(layout.federation(), round, settings.seed()),
            settings.serverOptimizer());
    Map<String, Long> counted = countedSamples(screening);
    List<ClientUpdate> updates =
        screening.accepted().stream()
            .map(u -> new ClientUpdate(u.clientId(), counted.get(u.clientId()), u.adapter()))
            .toList();
    boolean noUpdate = noClientTrained(updates);
    Optional<PreviousRound> previous =
        plan.baseRound() > 0 && (noUpdate || settings.serverOptimizer().isActive())
            ? Optional.of(PreviousRound.load(rounds.store(), rounds, plan.baseRound()))
            : Optional.empty();
    AggregationResult result;
    Optional<byte[]> state;
    if (previous.isPresent() && noUpdate) {
      result = carriedOver(previous.get(), ranks, updates);
      state = previous.get().stateBytes();
    } else {
      try {
        result =
            AggregationStrategy.forType(settings.strategy(), kernels)
                .aggregate(
                    updates,
                    config,
                    previous.map(PreviousRound::history).orElse(ServerHistory.NONE));
      } catch (IllegalArgumentException e) {
        throw new BadInputException("aggregation failed: " + e.getMessage());
      }
      state = result.state().isEmpty() ? Optional.empty() : Optional.of(result.state().toBytes());
    }
    Map<String, String> outputs =
        new TreeMap<>(publisher.publish(result.global(), layout.globalAdapterPrefix(round)));
    if (state.isPresent()) {
      // written before the manifest and hashed in it: the next round reads exactly this state
      String key = layout.serverOptimizerStateKey(round);
      rounds.store().put(key, state.get());
      outputs.put(key, Sha256.hex(state.get()));
    }
    Map<Integer, String> rankPrefixes = new TreeMap<>();
    for (int rank : ranks) {
      String prefix = layout.rankAdapterPrefix(round, rank);
      outputs.putAll(publisher.publish(result.byClientRank().get(rank), prefix));
      rankPrefixes.put(rank, prefix);
    }
    Map<String, Double> evalMetrics = new TreeMap<>();
    if (evaluator.isPresent()) {
      evalMetrics.putAll(evaluator.get().evaluate(result.global()));
      if (plan.baseRound() == 0) {
        evaluator
            .get()
            .evaluateUntrained(result.global(), settings.seed())
            .forEach((name, value) -> evalMetrics.put(UNTRAINED_PREFIX + name, value));
      }
    }
    AggregationLog.merged(round, config, counted, result, evalMetrics);
    // Conditional create: of two aggregators racing on this round, exactly one commits.
    boolean committed =
        rounds.createManifest(
            manifest(plan, screening, counted, result, rankPrefixes, outputs, evalMetrics));
    return committed ? Outcome.COMMITTED : Outcome.ALREADY_COMMITTED;
  }

  /**
   * The seed of fresh A rows (see {@link AggregationConfig#paddingSeed}): a function of the
   * federation, the round and the training seed alone, so retries and resumes are bit-identical.
   */
  static long paddingSeed(String federation, int round, long seed) {
    return (seed * 1_000_003L + federation.hashCode()) * 1_000_003L + round;
  }

  /** Whether every accepted update is all-zero in B (no client trained: no real update). */
  private static boolean noClientTrained(List<ClientUpdate> updates) {
    return updates.stream().allMatch(u -> UpdateNorms.factorNorm(u.adapter()) == 0);
  }

  /**
   * A round without a real update keeps the base round's adapters (rather than committing a zero
   * aggregate that would wipe the federation's progress).
   */
  private AggregationResult carriedOver(
      PreviousRound previous, SortedSet<Integer> ranks, List<ClientUpdate> updates)
      throws BadInputException {
    Map<Integer, LoraAdapter> byRank = new TreeMap<>();
    for (int rank : ranks) {
      byRank.put(
          rank,
          previous
              .atRank(rank)
              .orElseThrow(
                  () ->
                      new BadInputException(
                          "no client trained in round "
                              + settings.round()
                              + " and its base round has no rank-"
                              + rank
                              + " adapter to keep")));
    }
    Map<String, Double> weights = new TreeMap<>();
    double total = updates.stream().mapToDouble(ClientUpdate::numSamples).sum();
    boolean bySamples = settings.weighting() == Weighting.SAMPLES && total > 0;
    updates.forEach(
        u -> weights.put(u.clientId(), bySamples ? u.numSamples() / total : 1.0 / updates.size()));
    return new AggregationResult(previous.global(), byRank, Map.of(), weights);
  }

  private static Map<String, Long> countedSamples(Screening screening) {
    Map<String, Long> claims = new LinkedHashMap<>();
    screening.accepted().forEach(u -> claims.put(u.clientId(), u.metrics().numSamples()));
    return SampleCap.counted(claims);
  }

  private List<PlannedClient> selectClients(RoundPlan plan) throws BadInputException {
    if (settings.clients().isEmpty()) {
      return plan.clients();
    }
    Set<String> planned =
        plan.clients().stream().map(PlannedClient::clientId).collect(Collectors.toSet());
    List<String> unknown =
        settings.clients().stream().filter(c -> !planned.contains(c)).sorted().toList();
    if (!unknown.isEmpty()) {
      throw new BadInputException(
          "--clients names clients not in the plan of round " + plan.round() + ": " + unknown);
    }
    return plan.clients().stream().filter(c -> settings.clients().contains(c.clientId())).toList();
  }

  /**
   * Adds the planned clients left out of {@code --clients} (their trainer did not succeed) to the
   * failed list, so the manifest accounts for every sampled client.
   */
  private Screening withUnselectedAsFailed(RoundPlan plan, Screening screening) {
    if (settings.clients().isEmpty()) {
      return screening;
    }
    List<FailedClient> failed = new ArrayList<>(screening.failed());
    for (PlannedClient c : plan.clients()) {
      if (!settings.clients().contains(c.clientId())) {
        failed.add(new FailedClient(c.clientId(), UNSUCCESSFUL_TRAINER));
      }
    }
    failed.sort(Comparator.comparing(FailedClient::clientId));
    return new Screening(screening.accepted(), screening.rejected(), failed);
  }

  private RoundManifest manifest(
      RoundPlan plan,
      Screening screening,
      Map<String, Long> counted,
      AggregationResult result,
      Map<Integer, String> rankPrefixes,
      Map<String, String> outputs,
      Map<String, Double> evalMetrics) {
    List<AcceptedClient> accepted = new ArrayList<>();
    double lossSum = 0;
    long samples = 0;
    for (ClientUpload u : screening.accepted()) {
      long n = counted.get(u.clientId());
      accepted.add(
          new AcceptedClient(
              u.clientId(),
              u.plannedRank(),
              u.metrics().numSamples(),
              result.weights().get(u.clientId()),
              u.metrics().trainLoss(),
              n,
              u.modelSha256(),
              u.configSha256()));
      lossSum += n * u.metrics().trainLoss();
      samples += n;
    }
    return new RoundManifest(
        RoundManifest.SCHEMA_VERSION,
        rounds.layout().federation(),
        settings.round(),
        settings.attempt(),
        plan.baseRound(),
        Instant.now().toString(),
        dev.flotilla.core.spec.AggregationStrategy.valueOf(settings.strategy().name()),
        settings.globalRank(),
        accepted,
        screening.rejected(),
        screening.failed(),
        rounds.layout().globalAdapterPrefix(settings.round()),
        rankPrefixes,
        diagnostics(result.modules()),
        evalMetrics,
        lossSum / samples,
        settings.failedRounds(),
        outputs);
  }

  private static AggregationDiagnostics diagnostics(Map<String, ModuleDiagnostics> modules) {
    Map<String, Double> errors = new TreeMap<>();
    Set<String> paths = new TreeSet<>();
    double max = 0;
    boolean any = false;
    for (Map.Entry<String, ModuleDiagnostics> e : new TreeMap<>(modules).entrySet()) {
      paths.add(e.getValue().path().name());
      double error = e.getValue().relativeError();
      if (Double.isFinite(error)) {
        errors.put(e.getKey(), error);
        max = Math.max(max, error);
        any = true;
      }
    }
    return new AggregationDiagnostics(String.join("+", paths), any ? max : Double.NaN, errors);
  }
}
