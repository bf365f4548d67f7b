package dev.flotilla.operator.reconciler;

import dev.flotilla.core.protocol.Action;
import dev.flotilla.core.protocol.Action.CreateAggregator;
import dev.flotilla.core.protocol.Action.CreateTrainer;
import dev.flotilla.core.protocol.Action.DeleteWorkload;
import dev.flotilla.core.protocol.Action.EmitEvent;
import dev.flotilla.core.protocol.Action.WritePlan;
import dev.flotilla.core.protocol.Decision;
import dev.flotilla.core.protocol.Observation;
import dev.flotilla.core.protocol.Workload;
import dev.flotilla.core.protocol.WorkloadKind;
import dev.flotilla.core.protocol.WorkloadState;
import dev.flotilla.core.spec.ClientEntry;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.FederationPhase;
import dev.flotilla.core.spec.FederationStatus;
import dev.flotilla.core.spec.RoundSummary;
import dev.flotilla.core.storage.RoundStore;
import dev.flotilla.operator.api.v1alpha1.Federation;
import dev.flotilla.operator.events.FederationEvents;
import dev.flotilla.operator.metrics.FederationMetrics;
import dev.flotilla.operator.storage.FederationStorage;
import dev.flotilla.operator.workload.JobBatches;
import dev.flotilla.operator.workload.JobFactory;
import dev.flotilla.operator.workload.JobFactory.StorageTarget;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Applies a protocol {@link Decision} to the cluster: persists the new status FIRST (a conflict
 * aborts the decision), then runs its actions in order — plans to object storage, Jobs created and
 * deleted in bounded parallel batches, events — and reports phase changes, failed clients and round
 * metrics.
 */
@ApplicationScoped
public class DecisionExecutor {

  /** Retry delay after an action failed (API error, storage error). */
  static final Duration ACTION_RETRY = Duration.ofSeconds(5);

  private static final Logger LOG = Logger.getLogger(DecisionExecutor.class);

  private final JobBatches batches;
  private final JobFactory jobs;
  private final FederationStorage storage;
  private final FederationEvents events;
  private final FederationMetrics metrics;
  private final Clock clock = Clock.systemUTC();

  /** Failed trainer Jobs already reported by an event, per federation. */
  private final Map<String, Set<String>> reportedFailures = new ConcurrentHashMap<>();

  /** An executor with its collaborators. */
  public DecisionExecutor(
      JobBatches batches,
      JobFactory jobs,
      FederationStorage storage,
      FederationEvents events,
      FederationMetrics metrics) {
    this.batches = batches;
    this.jobs = jobs;
    this.storage = storage;
    this.events = events;
    this.metrics = metrics;
  }

  /** Applies {@code decision}, taken on {@code observation} of {@code federation}. */
  public UpdateControl<Federation> execute(
      Federation federation,
      Observation observation,
      Decision decision,
      RoundStore rounds,
      Context<Federation> context)
      throws InterruptedException {
    FederationStatus before = federation.getStatus();
    FederationStatus after = decision.status();
    Federation current = federation;
    if (!Objects.equals(before, after)) {
      Optional<Federation> persisted = StatusWriter.persist(federation, after, context);
      if (persisted.isEmpty()) {
        // Someone else changed the Federation: observe again rather than act on stale intent.
        return UpdateControl.<Federation>noUpdate().reschedule();
      }
      current = persisted.get();
      reportTransitions(current, before, after);
    }
    boolean actionsDone = run(current, observation, decision.actions(), rounds, context);
    reportFailedClients(current, observation.workloads());
    return requeue(decision.requeueAfter(), actionsDone);
  }

  /** Persists the status of a Federation that cannot be acted on, when it changed. */
  void reportBlocked(
      Federation federation,
      FederationStatus status,
      InvalidSpecException problem,
      Context<Federation> context) {
    if (Objects.equals(federation.getStatus(), status)) {
      return;
    }
    StatusWriter.persist(federation, status, context)
        .ifPresent(updated -> events.warning(updated, problem.reason(), problem.getMessage()));
  }

  private boolean run(
      Federation federation,
      Observation observation,
      List<Action> actions,
      RoundStore rounds,
      Context<Federation> context)
      throws InterruptedException {
    List<Job> toCreate = new ArrayList<>();
    List<String> toDelete = new ArrayList<>();
    boolean ok = true;
    for (Action action : actions) {
      if (action instanceof CreateTrainer trainer) {
        toCreate.add(
            jobs.trainer(
                federation,
                trainer,
                poolOf(observation, trainer),
                storageTarget(federation),
                clock.instant()));
      } else if (action instanceof CreateAggregator aggregator) {
        toCreate.add(
            jobs.aggregator(
                federation,
                aggregator,
                ranksOf(observation),
                failedRounds(federation),
                storageTarget(federation),
                clock.instant()));
      } else if (action instanceof DeleteWorkload delete) {
        toDelete.add(delete.name());
      } else if (action instanceof EmitEvent event) {
        events.emit(federation, event.type().name(), event.reason(), event.message());
      } else if (action instanceof WritePlan plan) {
        // Everything decided before the plan happens before it; trainers only after it.
        ok &= flush(federation, toCreate, toDelete, context);
        if (!writePlan(federation, plan, rounds)) {
          return false;
        }
      }
    }
    return flush(federation, toCreate, toDelete, context) && ok;
  }

  private boolean flush(
      Federation federation, List<Job> toCreate, List<String> toDelete, Context<Federation> context)
      throws InterruptedException {
    boolean ok = true;
    String namespace = federation.getMetadata().getNamespace();
    if (!toDelete.isEmpty()) {
      List<JobBatches.Failure> failures =
          batches.deleteAll(
              List.copyOf(toDelete),
              name ->
                  context
                      .getClient()
                      .batch()
                      .v1()
                      .jobs()
                      .inNamespace(namespace)
                      .withName(name)
                      .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                      .delete());
      toDelete.clear();
      ok &= reportFailures(federation, "WorkloadDeleteFailed", "delete", failures);
    }
    if (!toCreate.isEmpty()) {
      JobBatches.Outcome outcome =
          batches.createAll(List.copyOf(toCreate), job -> context.resourceOperations().create(job));
      toCreate.clear();
      LOG.debugf(
          "federation %s/%s: %d Jobs created, %d already existed, %d failed",
          namespace,
          federation.getMetadata().getName(),
          outcome.created(),
          outcome.alreadyExisted(),
          outcome.failures().size());
      ok &= reportFailures(federation, "WorkloadCreateFailed", "create", outcome.failures());
    }
    return ok;
  }

  private boolean reportFailures(
      Federation federation, String reason, String verb, List<JobBatches.Failure> failures) {
    if (failures.isEmpty()) {
      return true;
    }
    JobBatches.Failure first = failures.get(0);
    events.warning(
        federation,
        reason,
        "could not "
            + verb
            + " "
            + failures.size()
            + " Job(s), first "
            + first.jobName()
            + ": "
            + first.message());
    return false;
  }

  private boolean writePlan(Federation federation, WritePlan plan, RoundStore rounds) {
    try {
      rounds.writePlan(plan.plan());
      return true;
    } catch (IOException | RuntimeException e) {
      events.warning(
          federation,
          "PlanWriteFailed",
          "could not write " + plan.key() + ": " + e.getMessage() + "; retrying");
      return false;
    }
  }

  private StorageTarget storageTarget(Federation federation) {
    try {
      return new StorageTarget(
          storage.endpoint(federation.getSpec().getStorage()), federation.getSpec().getStorage());
    } catch (InvalidSpecException e) {
      // The store was opened for this reconcile, so its endpoint resolved a moment ago.
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Every rank a client of the federation trains at (pool ranks and per-client overrides). */
  private static SortedSet<Integer> ranksOf(Observation observation) {
    SortedSet<Integer> ranks = new TreeSet<>();
    for (ClientPoolSpec pool : observation.pools().values()) {
      ranks.add(pool.getRank());
      if (pool.getClients().getList() != null) {
        pool.getClients().getList().stream()
            .map(ClientEntry::getRank)
            .filter(Objects::nonNull)
            .forEach(ranks::add);
      }
    }
    return ranks;
  }

  private static int failedRounds(Federation federation) {
    FederationStatus status = federation.getStatus();
    return status == null || status.getFailedRounds() == null ? 0 : status.getFailedRounds();
  }

  private static ClientPoolSpec poolOf(Observation observation, CreateTrainer trainer) {
    ClientPoolSpec pool = observation.pools().get(trainer.client().pool());
    if (pool == null) {
      throw new IllegalStateException(
          "trainer " + trainer.name() + " names unknown ClientPool " + trainer.client().pool());
    }
    return pool;
  }

  /** Events and metrics for what changed between two persisted statuses. */
  private void reportTransitions(
      Federation federation, FederationStatus before, FederationStatus after) {
    FederationPhase from = before == null ? null : before.getPhase();
    FederationPhase to = after.getPhase();
    if (to != null && to != from) {
      String message =
          (from == null ? "" : from + " -> ")
              + to
              + (after.getCurrentRound() == null ? "" : " (round " + after.getCurrentRound() + ")");
      if (to == FederationPhase.Failed) {
        events.warning(federation, "PhaseChanged", message);
      } else {
        events.normal(federation, "PhaseChanged", message);
      }
    }
    Set<String> known = new HashSet<>();
    if (before != null && before.getHistory() != null) {
      before.getHistory().forEach(r -> known.add(key(r)));
    }
    if (after.getHistory() == null) {
      return;
    }
    String namespace = federation.getMetadata().getNamespace();
    String name = federation.getMetadata().getName();
    for (RoundSummary ended : after.getHistory()) {
      if (known.contains(key(ended)) || ended.getOutcome() == null) {
        continue;
      }
      metrics.roundEnded(namespace, name, ended.getOutcome().name(), duration(ended));
      metrics.clientsFinished(namespace, name, "succeeded", orZero(ended.getSucceeded()));
      metrics.clientsFinished(namespace, name, "failed", orZero(ended.getFailed()));
    }
  }

  /** One Warning event per failed trainer Job, the first time it is seen failed. */
  private void reportFailedClients(Federation federation, List<Workload> workloads) {
    String key = federation.getMetadata().getNamespace() + "/" + federation.getMetadata().getName();
    Set<String> reported =
        reportedFailures.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
    Set<String> failedNow = new HashSet<>();
    for (Workload w : workloads) {
      if (w.kind() != WorkloadKind.TRAINER || w.state() != WorkloadState.FAILED) {
        continue;
      }
      failedNow.add(w.name());
      if (reported.add(w.name())) {
        events.warning(
            federation,
            "ClientFailed",
            "client "
                + w.clientId()
                + " failed in round "
                + w.round()
                + " attempt "
                + w.attempt()
                + ": "
                + w.failureReason()
                + (w.retriable() ? " (retriable)" : " (not retriable)"));
      }
    }
    reported.retainAll(failedNow);
  }

  private static UpdateControl<Federation> requeue(
      Optional<Duration> requested, boolean actionsDone) {
    Optional<Duration> delay = requested;
    if (!actionsDone) {
      delay = Optional.of(delay.filter(d -> d.compareTo(ACTION_RETRY) < 0).orElse(ACTION_RETRY));
    }
    UpdateControl<Federation> control = UpdateControl.noUpdate();
    if (delay.isEmpty()) {
      return control;
    }
    return delay.get().isZero() ? control.reschedule() : control.rescheduleAfter(delay.get());
  }

  private static String key(RoundSummary summary) {
    return summary.getRound() + "/" + summary.getAttempt() + "/" + summary.getOutcome();
  }

  private static Duration duration(RoundSummary summary) {
    if (summary.getStartedAt() == null || summary.getFinishedAt() == null) {
      return null;
    }
    try {
      return Duration.between(
          Instant.parse(summary.getStartedAt()), Instant.parse(summary.getFinishedAt()));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
