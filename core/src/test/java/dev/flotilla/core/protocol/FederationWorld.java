package dev.flotilla.core.protocol;

import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.spec.FederationStatus;
import dev.flotilla.core.spec.RoundSummary;
import dev.flotilla.core.storage.ClientMetrics;
import dev.flotilla.core.storage.InMemoryObjectStore;
import dev.flotilla.core.storage.RoundManifest;
import dev.flotilla.core.storage.RoundStore;
import dev.flotilla.core.storage.StorageJson;
import dev.flotilla.core.storage.StorageLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A simulated world for the protocol: a fake kubelet that runs workloads by a script (one step per
 * simulated minute; a deleted workload keeps running until the next step, as a Job deleted with
 * foreground propagation stays until its pods are gone), a fake trainer and aggregator that write
 * real documents to an {@link InMemoryObjectStore}, and a persisted status. It executes decisions
 * like a caller would, and can crash after any single operation (an action or the status write).
 */
final class FederationWorld {

  /** What a workload does when it runs. */
  enum Outcome {
    SUCCEED,
    FAIL_RETRIABLE,
    FAIL_PERMANENT,
    HANG
  }

  /** Decides each workload's outcome from its identity. */
  interface Script {
    Outcome trainer(int round, int attempt, String clientId);

    default Outcome aggregator(int round, int attempt) {
      return Outcome.SUCCEED;
    }
  }

  /** A workload in the simulated cluster. */
  static final class SimWorkload {
    final String name;
    final WorkloadKind kind;
    final int round;
    final int attempt;
    final String clientId;
    final ClientRef client;
    final List<ClientRef> aggregated;
    final List<Integer> aggregatedAttempts;
    final int baseRound;
    final int failedRounds;
    WorkloadState state = WorkloadState.PENDING;

    /** Deleted with foreground propagation: still observed (and running) until the next tick. */
    boolean terminating;

    String failureReason;
    boolean retriable;

    SimWorkload(Action.CreateTrainer t) {
      name = t.name();
      kind = WorkloadKind.TRAINER;
      round = t.round();
      attempt = t.attempt();
      clientId = t.client().id();
      client = t.client();
      aggregated = List.of();
      aggregatedAttempts = List.of();
      baseRound = t.baseRound();
      failedRounds = 0;
    }

    SimWorkload(Action.CreateAggregator a) {
      name = a.name();
      kind = WorkloadKind.AGGREGATOR;
      round = a.round();
      attempt = a.attempt();
      clientId = null;
      client = null;
      aggregated = a.clients();
      aggregatedAttempts = a.clientAttempts();
      baseRound = a.baseRound();
      failedRounds = a.failedRounds();
    }

    Workload observed() {
      return new Workload(name, kind, round, attempt, clientId, state, failureReason, retriable);
    }
  }

  final FederationSpec spec;
  final Map<String, ClientPoolSpec> pools;
  final Script script;
  final InMemoryObjectStore objects = new InMemoryObjectStore();
  final StorageLayout layout;
  final RoundStore rounds;
  final Map<String, SimWorkload> workloads = new LinkedHashMap<>();
  final Map<String, Integer> creations = new HashMap<>();
  final Map<Integer, Integer> manifestWrites = new TreeMap<>();
  final List<Action.EmitEvent> events = new ArrayList<>();

  /** Every create action the protocol decided, in order. */
  final List<Action> creates = new ArrayList<>();

  FederationStatus status;

  /** Every status persisted, in order (a wipe appears as null). */
  final List<FederationStatus> trajectory = new ArrayList<>();

  Instant now = Instant.parse("2026-03-01T00:00:00Z");
  long generation = 1;
  int operations;

  /**
   * Every operation, in order: the decision's number, a colon, and "status" or the action handler's
   * method name.
   */
  final List<String> operationLog = new ArrayList<>();

  int decisions;
  int maxStatusBytes;

  FederationWorld(FederationSpec spec, Map<String, ClientPoolSpec> pools, Script script) {
    this.spec = spec;
    this.pools = pools;
    this.script = script;
    this.layout = new StorageLayout("flotilla", spec.getStorage().getPrefix(), Fixtures.FED);
    this.rounds = new RoundStore(objects, layout);
  }

  /** What the caller observes: workloads first, then manifests. */
  Observation observe() {
    List<Workload> observed = workloads.values().stream().map(SimWorkload::observed).toList();
    RoundProtocol.ManifestProbe probe = RoundProtocol.manifestProbe(spec, status);
    try {
      Optional<RoundManifest> latest = rounds.latestCommitted(probe.from(), probe.downTo());
      return new Observation(Fixtures.FED, generation, spec, status, pools, observed, latest, now);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Decision decide() {
    decisions++;
    return RoundProtocol.decide(observe());
  }

  /**
   * Executes a decision as every runtime does ({@link DecisionApplier}: the status write first,
   * then the actions in order). Returns false when it crashed after operation number {@code
   * crashAfter} (counted over the whole run), which can be the status write itself.
   */
  boolean apply(Decision decision, int crashAfter) {
    try {
      DecisionApplier.apply(
          status, decision, next -> persist(next, crashAfter), new Executor(crashAfter));
      return true;
    } catch (Crash crash) {
      return false;
    }
  }

  /** The simulated process stopping in the middle of a decision. */
  private static final class Crash extends Exception {
    private static final long serialVersionUID = 1L;
  }

  private void operation(int crashAfter, String kind) throws Crash {
    operationLog.add(decisions + ":" + kind);
    if (++operations == crashAfter) {
      throw new Crash();
    }
  }

  private boolean persist(FederationStatus next, int crashAfter) throws Crash {
    byte[] json = StorageJson.write(next);
    maxStatusBytes = Math.max(maxStatusBytes, json.length);
    status = StorageJson.mapper().convertValue(next, FederationStatus.class);
    trajectory.add(status);
    operation(crashAfter, "status");
    return true;
  }

  /** Carries out actions on the simulated world, crashing after operation {@code crashAfter}. */
  private final class Executor implements ActionHandler<Crash> {
    private final int crashAfter;

    Executor(int crashAfter) {
      this.crashAfter = crashAfter;
    }

    @Override
    public boolean writePlan(Action.WritePlan action) throws Crash {
      try {
        rounds.writePlan(action.plan());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      operation(crashAfter, "writePlan");
      return true;
    }

    @Override
    public boolean createTrainer(Action.CreateTrainer action) throws Crash {
      creates.add(action);
      create(action.name(), () -> new SimWorkload(action));
      operation(crashAfter, "createTrainer");
      return true;
    }

    @Override
    public boolean createAggregator(Action.CreateAggregator action) throws Crash {
      creates.add(action);
      create(action.name(), () -> new SimWorkload(action));
      operation(crashAfter, "createAggregator");
      return true;
    }

    @Override
    public boolean deleteWorkload(Action.DeleteWorkload action) throws Crash {
      SimWorkload w = workloads.get(action.name());
      if (w != null) {
        w.terminating = true;
      }
      operation(crashAfter, "deleteWorkload");
      return true;
    }

    @Override
    public boolean emitEvent(Action.EmitEvent action) throws Crash {
      events.add(action);
      operation(crashAfter, "emitEvent");
      return true;
    }
  }

  private void create(String name, java.util.function.Supplier<SimWorkload> workload) {
    if (workloads.containsKey(name)) {
      return; // AlreadyExists: idempotent
    }
    workloads.put(name, workload.get());
    creations.merge(name, 1, Integer::sum);
  }

  /** One simulated minute: pending workloads start, running ones finish per the script. */
  void tick() {
    now = now.plus(Duration.ofMinutes(1));
    List<SimWorkload> doomed = workloads.values().stream().filter(w -> w.terminating).toList();
    for (SimWorkload w : workloads.values()) {
      if (w.state == WorkloadState.PENDING) {
        w.state = WorkloadState.RUNNING;
      } else if (w.state == WorkloadState.RUNNING) {
        Outcome outcome =
            w.kind == WorkloadKind.TRAINER
                ? script.trainer(w.round, w.attempt, w.clientId)
                : script.aggregator(w.round, w.attempt);
        finish(w, outcome);
      }
    }
    doomed.forEach(w -> workloads.remove(w.name));
  }

  private void finish(SimWorkload w, Outcome outcome) {
    switch (outcome) {
      case HANG -> {}
      case SUCCEED -> {
        w.state = WorkloadState.SUCCEEDED;
        if (w.kind == WorkloadKind.TRAINER) {
          upload(w);
        } else {
          commit(w);
        }
      }
      case FAIL_RETRIABLE, FAIL_PERMANENT -> {
        w.state = WorkloadState.FAILED;
        w.retriable = outcome == Outcome.FAIL_RETRIABLE;
        w.failureReason = w.retriable ? "Evicted" : "InvalidData";
      }
    }
  }

  private void upload(SimWorkload w) {
    try {
      String prefix = layout.clientAdapterPrefix(w.round, w.clientId, w.attempt);
      objects.put(prefix + StorageLayout.ADAPTER_MODEL, new byte[] {1});
      objects.put(prefix + StorageLayout.ADAPTER_CONFIG, "{}".getBytes());
      long samples = 100 + Math.abs(w.clientId.hashCode() % 100);
      rounds.writeClientMetrics(
          new ClientMetrics(
              ClientMetrics.SCHEMA_VERSION,
              w.clientId,
              w.round,
              w.attempt,
              w.client.rank(),
              samples,
              10,
              0.5,
              Map.of(),
              60,
              1L << 28,
              null,
              null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void commit(SimWorkload w) {
    try {
      List<RoundManifest.AcceptedClient> accepted = new ArrayList<>();
      long total = 0;
      List<ClientMetrics> metrics = new ArrayList<>();
      for (int i = 0; i < w.aggregated.size(); i++) {
        ClientRef c = w.aggregated.get(i);
        // The upload of the attempt the action names: a retried round keeps earlier successes.
        ClientMetrics m =
            rounds
                .readClientMetrics(w.round, c.id(), w.aggregatedAttempts.get(i))
                .orElseThrow(
                    () -> new AssertionError("no upload of " + c.id() + " at the attempt named"));
        metrics.add(m);
        total += m.numSamples();
      }
      TreeSet<Integer> ranks = new TreeSet<>();
      for (ClientMetrics m : metrics) {
        accepted.add(
            new RoundManifest.AcceptedClient(
                m.clientId(),
                m.rank(),
                m.numSamples(),
                (double) m.numSamples() / total,
                m.trainLoss(),
                m.numSamples(),
                null,
                null));
        ranks.add(m.rank());
      }
      Map<Integer, String> rankPrefixes = new TreeMap<>();
      for (int rank : ranks) {
        String prefix = layout.rankAdapterPrefix(w.round, rank);
        objects.put(prefix + StorageLayout.ADAPTER_MODEL, new byte[] {2});
        rankPrefixes.put(rank, prefix);
      }
      objects.put(
          layout.globalAdapterPrefix(w.round) + StorageLayout.ADAPTER_MODEL, new byte[] {3});
      int failedRounds = w.failedRounds;
      rounds.createManifest(
          new RoundManifest(
              RoundManifest.SCHEMA_VERSION,
              Fixtures.FED,
              w.round,
              w.attempt,
              w.baseRound,
              now.toString(),
              spec.getAggregation().getStrategy(),
              spec.getAggregation().getGlobalRank(),
              accepted,
              List.of(),
              List.of(),
              layout.globalAdapterPrefix(w.round),
              rankPrefixes,
              null,
              Map.of("accuracy", 0.5 + w.round / 100.0),
              0.5,
              failedRounds,
              null));
      manifestWrites.merge(w.round, 1, Integer::sum);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs until the federation is Completed or Failed with no workload left; crashes (drops the rest
   * of a decision) after operation {@code crashAfter}, and wipes the status after operation {@code
   * wipeAfter} (0: never).
   */
  FederationWorld run(int crashAfter, int wipeAfter) {
    for (int step = 0; step < 2000; step++) {
      if (finished()) {
        return this;
      }
      Decision d = decide();
      int before = operations;
      apply(d, crashAfter);
      if (wipeAfter > before && wipeAfter <= operations) {
        status = null;
        trajectory.add(null);
      }
      boolean immediate = d.requeueAfter().map(Duration::isZero).orElse(false);
      if (!immediate) {
        tick();
      }
      checkInvariants();
    }
    throw new AssertionError("no end state after 2000 decisions: " + status.getPhase());
  }

  FederationWorld run() {
    return run(0, 0);
  }

  boolean finished() {
    return status != null
        && status.getPhase() != null
        && status.getPhase().isTerminal()
        && workloads.isEmpty();
  }

  /**
   * Checks the persisted statuses in order: {@code lastCommittedRound} never decreases and a
   * terminal phase is never left, except across a status wipe (null), after which the status is
   * rebuilt from the manifests.
   */
  void checkTrajectory() {
    FederationStatus previous = null;
    for (FederationStatus s : trajectory) {
      if (s == null || previous == null) {
        previous = s;
        continue;
      }
      int before = orZero(previous.getLastCommittedRound());
      int after = orZero(s.getLastCommittedRound());
      if (after < before) {
        throw new AssertionError("lastCommittedRound went back from " + before + " to " + after);
      }
      if (previous.getPhase() != null
          && previous.getPhase().isTerminal()
          && previous.getPhase() != s.getPhase()) {
        throw new AssertionError(
            "left terminal phase " + previous.getPhase() + " for " + s.getPhase());
      }
      previous = s;
    }
  }

  /**
   * Checks the statuses as a watcher (Argo CD, Flux, kubectl) sees them, across status wipes too:
   * every status rebuilt after a wipe continues from the last one seen before it, so {@code
   * lastCommittedRound} never decreases, {@code globalAdapterUri} never names an older round, and a
   * Federation seen Completed or Failed stays so.
   */
  void checkWatchedTrajectory() {
    FederationStatus seen = null;
    for (FederationStatus s : trajectory) {
      if (s == null) {
        continue;
      }
      if (seen != null) {
        int before = orZero(seen.getLastCommittedRound());
        int after = orZero(s.getLastCommittedRound());
        if (after < before) {
          throw new AssertionError(
              "a watcher saw lastCommittedRound go back from " + before + " to " + after);
        }
        if (seen.getGlobalAdapterUri() != null
            && (s.getGlobalAdapterUri() == null
                || s.getGlobalAdapterUri().compareTo(seen.getGlobalAdapterUri()) < 0)) {
          throw new AssertionError(
              "a watcher saw globalAdapterUri go back from "
                  + seen.getGlobalAdapterUri()
                  + " to "
                  + s.getGlobalAdapterUri());
        }
        if (seen.getPhase() != null
            && seen.getPhase().isTerminal()
            && seen.getPhase() != s.getPhase()) {
          throw new AssertionError(
              "a watcher saw " + seen.getPhase() + " relapse to " + s.getPhase());
        }
      }
      seen = s;
    }
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  private void checkInvariants() {
    creations.forEach(
        (name, count) -> {
          if (count > 1) {
            throw new AssertionError("workload " + name + " created " + count + " times");
          }
        });
    long activeAggregators =
        workloads.values().stream()
            .filter(w -> w.kind == WorkloadKind.AGGREGATOR && w.state.isActive())
            .count();
    if (activeAggregators > 1) {
      throw new AssertionError(activeAggregators + " aggregators active at once");
    }
    manifestWrites.forEach(
        (round, count) -> {
          if (count > 1) {
            throw new AssertionError("round " + round + " aggregated " + count + " times");
          }
        });
  }

  /** The outcome of a run, for comparing runs with and without crashes. */
  record EndState(
      String phase,
      Integer lastCommittedRound,
      Integer failedRounds,
      String globalAdapterUri,
      Map<Integer, List<String>> acceptedByRound,
      List<String> history) {}

  EndState endState(boolean withHistory) {
    Map<Integer, List<String>> accepted = new TreeMap<>();
    try {
      for (int r = 1; r <= spec.getRounds(); r++) {
        rounds
            .readManifest(r)
            .ifPresent(
                m ->
                    accepted.put(
                        m.round(),
                        m.accepted().stream()
                            .map(RoundManifest.AcceptedClient::clientId)
                            .toList()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> history = new ArrayList<>();
    if (withHistory && status.getHistory() != null) {
      for (RoundSummary h : status.getHistory()) {
        history.add(
            h.getRound() + ":" + h.getOutcome() + ":a" + h.getAttempt() + ":" + h.getSucceeded());
      }
    }
    return new EndState(
        String.valueOf(status.getPhase()),
        status.getLastCommittedRound(),
        status.getFailedRounds(),
        status.getGlobalAdapterUri(),
        accepted,
        history);
  }
}
