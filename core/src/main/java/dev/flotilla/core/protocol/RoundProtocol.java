package dev.flotilla.core.protocol;

import dev.flotilla.core.protocol.Action.EventType;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.Condition;
import dev.flotilla.core.spec.ConditionStatus;
import dev.flotilla.core.spec.FederationConditions;
import dev.flotilla.core.spec.FederationPhase;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.spec.FederationStatus;
import dev.flotilla.core.spec.PoolAccess;
import dev.flotilla.core.spec.PoolReference;
import dev.flotilla.core.spec.SpecValidator;
import dev.flotilla.core.storage.StorageJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The round protocol: a pure function from an {@link Observation} to a {@link Decision}, shared by
 * the operator and the local runtime. It validates the spec, resolves the clients, and hands the
 * decision to the step of the current phase. See {@link Decision} for the calling contract; observe
 * workloads before probing manifests, so a succeeded aggregator's manifest is always seen.
 */
public final class RoundProtocol {

  private static final int MAX_MESSAGE = 1024;

  private RoundProtocol() {}

  /**
   * The rounds to probe for the latest manifest, from {@code from} down to {@code downTo}: from the
   * status's current round down to its last committed one, or, without status, from the last round
   * down to 1.
   *
   * @param from highest round to check
   * @param downTo lowest round to check
   */
  public record ManifestProbe(int from, int downTo) {}

  /** Which manifests the caller must probe before calling {@link #decide}. */
  public static ManifestProbe manifestProbe(FederationSpec spec, FederationStatus status) {
    int rounds = spec.getRounds() == null ? 1 : Math.max(1, spec.getRounds());
    if (status == null || status.getCurrentRound() == null) {
      return new ManifestProbe(rounds, 1);
    }
    int last = status.getLastCommittedRound() == null ? 1 : status.getLastCommittedRound();
    int from = Math.max(status.getCurrentRound(), 1);
    return new ManifestProbe(from, Math.max(1, Math.min(last, from)));
  }

  /** Decides what to do next. Never throws for bad input: problems become conditions. */
  public static Decision decide(Observation observation) {
    FederationStatus status = copy(observation.status());
    status.setObservedGeneration(observation.generation());
    List<String> problems = new ArrayList<>(SpecValidator.validate(observation.spec()));
    problems.addAll(SpecValidator.validateFederationName(observation.federation()));
    List<ClientRef> clients = List.of();
    if (problems.isEmpty()) {
      problems.addAll(poolProblems(observation.spec(), observation.pools()));
    }
    if (problems.isEmpty()) {
      try {
        clients = ClientDirectory.resolve(observation.pools());
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    if (problems.isEmpty()) {
      problems.addAll(StrategyRanks.problems(observation.spec().getAggregation(), clients));
    }
    if (!problems.isEmpty()) {
      return invalid(observation, status, problems);
    }
    status.setTotalClients(clients.size());
    RoundContext ctx = new RoundContext(observation, clients, status);
    clearInvalidSpec(ctx);
    stepFor(status.getPhase(), ctx.suspended(), status.getRound() != null).apply(ctx);
    return ctx.decision();
  }

  private static RoundStep stepFor(FederationPhase phase, boolean suspend, boolean roundRecorded) {
    if (phase != null && phase.isTerminal()) {
      return new FinishedStep();
    }
    if (suspend) {
      return new SuspendStep();
    }
    if (phase == null || phase == FederationPhase.Pending || !roundRecorded) {
      return phase == FederationPhase.Suspended ? new ResumeStep() : new StartStep();
    }
    return switch (phase) {
      case Training -> new TrainingStep();
      case Aggregating -> new AggregatingStep();
      case Suspended -> new ResumeStep();
      default -> throw new IllegalStateException("no step for phase " + phase);
    };
  }

  /**
   * The problems of the selected pools, found without I/O: a named pool that does not exist, no
   * pool at all, an invalid pool spec.
   */
  public static List<String> poolProblems(FederationSpec spec, Map<String, ClientPoolSpec> pools) {
    List<String> problems = new ArrayList<>();
    List<String> names = spec.getClientPools().getNames();
    if (names != null) {
      for (String name : names) {
        if (!pools.containsKey(name)) {
          problems.add("spec.clientPools.names: ClientPool " + name + " not found");
        }
      }
    }
    List<PoolReference> refs = spec.getClientPools().getRefs();
    if (refs != null) {
      for (PoolReference ref : refs) {
        if (!pools.containsKey(PoolAccess.key(ref))) {
          problems.add("spec.clientPools.refs: ClientPool " + ref + " not found");
        }
      }
    }
    if (pools.isEmpty()) {
      problems.add("spec.clientPools selects no ClientPool");
    }
    for (Map.Entry<String, ClientPoolSpec> pool : new TreeMap<>(pools).entrySet()) {
      for (String p : SpecValidator.validate(pool.getValue())) {
        problems.add("ClientPool " + pool.getKey() + ": " + p);
      }
    }
    return problems;
  }

  /**
   * The decision for a Federation refused before anything was read from storage (problems found by
   * the caller without I/O): the status says InvalidSpec, naming every problem.
   */
  public static Decision refuse(Observation observation, List<String> problems) {
    FederationStatus status = copy(observation.status());
    status.setObservedGeneration(observation.generation());
    return invalid(observation, status, problems);
  }

  private static Decision invalid(Observation o, FederationStatus status, List<String> problems) {
    String message = String.join("; ", problems);
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE - 3) + "...";
    }
    if (status.getPhase() == null) {
      status.setPhase(FederationPhase.Pending);
    }
    FederationConditions c =
        FederationConditions.edit(status.getConditions(), o.generation(), o.now());
    Condition before = c.find(FederationConditions.DEGRADED);
    boolean alreadyReported =
        before != null
            && before.getStatus() == ConditionStatus.True
            && "InvalidSpec".equals(before.getReason())
            && message.equals(before.getMessage());
    c.set(FederationConditions.READY, ConditionStatus.False, "InvalidSpec", message);
    c.set(FederationConditions.DEGRADED, ConditionStatus.True, "InvalidSpec", message);
    status.setConditions(c.toList());
    List<Action> actions =
        alreadyReported
            ? List.of()
            : List.of(new Action.EmitEvent(EventType.Warning, "InvalidSpec", message));
    return new Decision(status, actions, Optional.empty());
  }

  /**
   * The protocol runs again after a blocking problem (invalid spec, storage, Secret, ClientPool):
   * withdraw the Degraded and Ready conditions it left.
   */
  private static void clearInvalidSpec(RoundContext ctx) {
    FederationStatus s = ctx.status();
    Condition degraded =
        FederationConditions.edit(s.getConditions(), ctx.observation().generation(), ctx.now())
            .find(FederationConditions.DEGRADED);
    if (degraded == null
        || degraded.getStatus() != ConditionStatus.True
        || !FederationConditions.BLOCKING_REASONS.contains(degraded.getReason())) {
      return;
    }
    String reason = "InvalidSpec".equals(degraded.getReason()) ? "SpecValid" : "Unblocked";
    String message =
        "InvalidSpec".equals(degraded.getReason())
            ? "the spec is valid again"
            : degraded.getReason() + " resolved";
    boolean completed = s.getPhase() == FederationPhase.Completed;
    RoundTransitions.conditions(
        ctx,
        c ->
            c.set(FederationConditions.DEGRADED, ConditionStatus.False, reason, message)
                .set(
                    FederationConditions.READY,
                    completed ? ConditionStatus.True : ConditionStatus.False,
                    reason,
                    message));
  }

  private static FederationStatus copy(FederationStatus status) {
    return status == null
        ? new FederationStatus()
        : StorageJson.mapper().convertValue(status, FederationStatus.class);
  }
}
