package dev.flotilla.operator.reconciler;

import dev.flotilla.core.protocol.Action.CreateAggregator;
import dev.flotilla.core.protocol.Action.CreateTrainer;
import dev.flotilla.core.protocol.Action.DeleteWorkload;
import dev.flotilla.core.protocol.Action.EmitEvent;
import dev.flotilla.core.protocol.Action.WritePlan;
import dev.flotilla.core.protocol.ActionHandler;
import dev.flotilla.core.protocol.Decision;
import dev.flotilla.core.protocol.DecisionApplier;
import dev.flotilla.core.protocol.Observation;
import dev.flotilla.core.protocol.Workload;
import dev.flotilla.core.protocol.WorkloadKind;
import dev.flotilla.core.protocol.WorkloadState;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.FederationPhase;
import dev.flotilla.core.spec.FederationStatus;
import dev.flotilla.core.spec.RoundSummary;
import dev.flotilla.core.storage.RoundStore;
import dev.flotilla.core.storage.StorageGrant;
import dev.flotilla.core.workload.AggregatorInvocation;
import dev.flotilla.core.workload.S3GrantSigner;
import dev.flotilla.core.workload.TrainerInvocation;
import dev.flotilla.core.workload.WorkloadGrants;
import dev.flotilla.operator.api.v1alpha1.Federation;
import dev.flotilla.operator.config.OperatorConfig;
import dev.flotilla.operator.events.FederationEvents;
import dev.flotilla.operator.metrics.FederationMetrics;
import dev.flotilla.operator.storage.FederationStorage;
import dev.flotilla.operator.workload.JobBatches;
import dev.flotilla.operator.workload.JobFactory;
import dev.flotilla.operator.workload.JobFactory.StorageTarget;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Applies a protocol {@link Decision} to the cluster through {@link DecisionApplier}: persists the
 * new status FIRST (a conflict aborts the decision), then runs its actions in order — plans to
 * object storage, Jobs created and deleted in bounded parallel batches, events — and reports phase
 * changes, failed clients and round metrics.
 *
 * <p>Level-triggered: a reconcile that wrote anything (status, plan, Jobs) asks to be called again
 * within {@link #AFTER_WRITE}, so progress never waits for an unrelated event; JOSDK 5.3 also drops
 * foreign watch events that arrive while its own write to the same object is in flight, and the
 * re-observation picks those up. A reconcile that writes nothing waits for the protocol's own
 * requeue time or the next event.
 *
 * <p>Events are idempotent across reconciles and restarts: phase entries, failed clients and the
 * protocol's events are recorded with {@link FederationEvents#once}, under names derived from the
 * fact they report, so a restarted operator that reports them again creates nothing new.
 */
@ApplicationScoped
public class DecisionExecutor {

  /** Retry delay after an action failed (API error, storage error). */
  static final Duration ACTION_RETRY = Duration.ofSeconds(5);

  /** Latest re-observation after a reconcile that wrote status, a plan or Jobs. */
  static final Duration AFTER_WRITE = Duration.ofSeconds(2);

  /** Re-observation after a status write conflict (the cache catches up meanwhile). */
  static final Duration AFTER_CONFLICT = Duration.ofMillis(250);

  private static final Logger LOG = Logger.getLogger(DecisionExecutor.class);

  private final JobBatches batches;
  private final JobFactory jobs;
  private final FederationStorage storage;
  private final FederationEvents events;
  private final FederationMetrics metrics;
  private final int maxJobsPerFederation;
  private final Clock clock = Clock.systemUTC();

  /** An executor with its collaborators. */
  public DecisionExecutor(
      JobBatches batches,
      JobFactory jobs,
      FederationStorage storage,
      FederationEvents events,
      FederationMetrics metrics,
      OperatorConfig config) {
    this.maxJobsPerFederation = config.limits().maxJobsPerFederation();
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
      Decision protocolDecision,
      RoundStore rounds,
      Context<Federation> context)
      throws InterruptedException {
    FederationStatus before = federation.getStatus();
    Decision decision =
        JobCap.apply(
            protocolDecision,
            observation.workloads(),
            maxJobsPerFederation,
            observation.generation(),
            observation.now());
    ClusterActions actions = new ClusterActions(federation, observation, rounds, context);
    DecisionApplier.Applied applied =
        DecisionApplier.apply(
            before,
            decision,
            after -> {
              Optional<Federation> persisted = StatusWriter.persist(federation, after, context);
              persisted.ifPresent(
                  current -> {
                    actions.federation = current;
                    reportRoundMetrics(current, before, after);
                  });
              return persisted.isPresent();
            },
            actions);
    if (applied.progress() == DecisionApplier.Progress.CONFLICT) {
      // Someone else changed the Federation: observe again rather than act on stale intent.
      return UpdateControl.<Federation>noUpdate().rescheduleAfter(AFTER_CONFLICT);
    }
    Federation current = actions.federation;
    reportPhase(current, applied.statusWritten() ? before : decision.status(), decision.status());
    reportFailedClients(current, observation.workloads());
    boolean ok = applied.progress() == DecisionApplier.Progress.APPLIED && actions.ok;
    return requeue(decision.requeueAfter(), ok, actions.wrote, applied.statusWritten());
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
        .ifPresent(
            updated -> {
              events.warning(updated, problem.reason(), problem.getMessage());
              reportPhase(updated, federation.getStatus(), status);
            });
  }

  /**
   * Carries out one decision's actions on the cluster: Jobs are collected and created or deleted in
   * bounded parallel batches, flushed before a plan is written (everything decided before the plan
   * happens before it; trainers only after it) and at the end.
   */
  private final class ClusterActions implements ActionHandler<InterruptedException> {
    private Federation federation;
    private final Observation observation;
    private final RoundStore rounds;
    private final Context<Federation> context;
    private final List<Job> toCreate = new ArrayList<>();
    private final Map<String, StorageGrant> grants = new HashMap<>();
    private final List<String> toDelete = new ArrayList<>();
    private boolean ok = true;
    private boolean wrote;

    ClusterActions(
        Federation federation,
        Observation observation,
        RoundStore rounds,
        Context<Federation> context) {
      this.federation = federation;
      this.observation = observation;
      this.rounds = rounds;
      this.context = context;
    }

    @Override
    public boolean writePlan(WritePlan plan) throws InterruptedException {
      finish();
      if (!DecisionExecutor.this.writePlan(federation, plan, rounds)) {
        ok = false;
        return false;
      }
      wrote = true;
      return true;
    }

    @Override
    public boolean createTrainer(CreateTrainer trainer) {
      ClientPoolSpec pool = poolOf(observation, trainer);
      StorageTarget target = storageTarget(federation);
      TrainerInvocation invocation = jobs.trainerInvocation(federation, trainer, pool, target);
      return mint(
          trainer.deadline(),
          signer ->
              WorkloadGrants.trainer(
                  invocation, FederationStorage.layout(federation), signer, trainer.deadline()),
          jobs.trainer(federation, trainer, pool, target, clock.instant()));
    }

    @Override
    public boolean createAggregator(CreateAggregator aggregator) {
      StorageTarget target = storageTarget(federation);
      AggregatorInvocation invocation = jobs.aggregatorInvocation(federation, aggregator, target);
      return mint(
          aggregator.deadline(),
          signer ->
              WorkloadGrants.aggregator(
                  invocation, FederationStorage.layout(federation), signer, aggregator.deadline()),
          jobs.aggregator(federation, aggregator, target, clock.instant()));
    }

    /** Mints a workload's grant (valid until its deadline) and queues its Job. */
    private boolean mint(Instant deadline, GrantMaker maker, Job job) {
      String name = job.getMetadata().getName();
      Duration validity = Duration.between(clock.instant(), deadline);
      try (S3GrantSigner signer = storage.signer(federation, validity)) {
        grants.put(name, maker.make(signer));
      } catch (Exception e) {
        LOG.warnf(
            e,
            "federation %s/%s: signing the grant of %s failed",
            federation.getMetadata().getNamespace(),
            federation.getMetadata().getName(),
            name);
        events.warning(
            federation,
            "GrantFailed",
            "could not sign the storage grant of " + name + ": " + e.getMessage() + "; retrying");
        ok = false;
        return false;
      }
      toCreate.add(job);
      return true;
    }

    @Override
    public boolean deleteWorkload(DeleteWorkload delete) {
      toDelete.add(delete.name());
      return true;
    }

    @Override
    public boolean emitEvent(EmitEvent event) {
      events.once(
          federation,
          "decision/" + generation(federation) + "/" + event.reason() + "/" + event.message(),
          event.type().name(),
          event.reason(),
          event.message());
      return true;
    }

    @Override
    public boolean finish() throws InterruptedException {
      flushDeletes();
      flushCreates();
      return true;
    }

    /**
     * Creates the Job's grant Secret first (an existing one, from before a crash, is kept: it is
     * for the same attempt and still valid), then the Job; a crash between the two leaves a Secret
     * and no Job, which the next decision completes.
     */
    private Job createWithGrant(Job job) {
      createSecret(job);
      Job created = context.resourceOperations().create(job);
      handOverSecret(created);
      return created;
    }

    /**
     * Makes the created Job the only owner of its grant Secret, so the Secret goes when the Job
     * goes (the protocol deletes a finished round's Jobs; their TTL does too). Best effort: a
     * Secret left with its first owner holds only URLs that expired with the attempt.
     */
    private void handOverSecret(Job job) {
      try {
        context
            .getClient()
            .secrets()
            .inNamespace(job.getMetadata().getNamespace())
            .withName(job.getMetadata().getName())
            .edit(
                secret ->
                    new SecretBuilder(secret)
                        .editMetadata()
                        .withOwnerReferences(JobFactory.ownedBy(job))
                        .endMetadata()
                        .build());
      } catch (KubernetesClientException e) {
        LOG.debugf(e, "grant Secret of Job %s kept its first owner", job.getMetadata().getName());
      }
    }

    private void createSecret(Job job) {
      StorageGrant grant = grants.get(job.getMetadata().getName());
      try {
        context.getClient().secrets().resource(jobs.grantSecret(job, grant)).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
      }
    }

    private void flushDeletes() throws InterruptedException {
      if (toDelete.isEmpty()) {
        return;
      }
      // A trainer of a pool in another namespace runs there: delete each Job where it was seen.
      Map<String, String> namespaces = new HashMap<>();
      context
          .getSecondaryResources(Job.class)
          .forEach(j -> namespaces.put(j.getMetadata().getName(), j.getMetadata().getNamespace()));
      String home = federation.getMetadata().getNamespace();
      List<JobBatches.Failure> failures =
          batches.deleteAll(
              List.copyOf(toDelete),
              name ->
                  context
                      .getClient()
                      .batch()
                      .v1()
                      .jobs()
                      .inNamespace(namespaces.getOrDefault(name, home))
                      .withName(name)
                      .withPropagationPolicy(DeletionPropagation.FOREGROUND)
                      .delete());
      wrote |= failures.size() < toDelete.size();
      toDelete.clear();
      ok &= reportFailures(federation, "WorkloadDeleteFailed", "delete", failures);
    }

    private void flushCreates() throws InterruptedException {
      if (toCreate.isEmpty()) {
        return;
      }
      JobBatches.Outcome outcome = batches.createAll(List.copyOf(toCreate), this::createWithGrant);
      toCreate.clear();
      LOG.debugf(
          "federation %s/%s: %d Jobs created, %d already existed, %d failed",
          federation.getMetadata().getNamespace(),
          federation.getMetadata().getName(),
          outcome.created(),
          outcome.alreadyExisted(),
          outcome.failures().size());
      wrote |= outcome.created() > 0;
      ok &= reportFailures(federation, "WorkloadCreateFailed", "create", outcome.failures());
    }
  }

  /** Builds a grant with a signer. */
  @FunctionalInterface
  private interface GrantMaker {
    StorageGrant make(S3GrantSigner signer) throws IOException;
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

  private static ClientPoolSpec poolOf(Observation observation, CreateTrainer trainer) {
    ClientPoolSpec pool = observation.pools().get(trainer.client().pool());
    if (pool == null) {
      throw new IllegalStateException(
          "trainer " + trainer.name() + " names unknown ClientPool " + trainer.client().pool());
    }
    return pool;
  }

  /** Metrics of the rounds that ended between two persisted statuses. */
  private void reportRoundMetrics(
      Federation federation, FederationStatus before, FederationStatus after) {
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

  /**
   * One PhaseChanged event per phase entry of {@code after} (see {@link PhaseEntry}), recorded with
   * {@link FederationEvents#once}: a reconcile that moved the phase reports {@code from -> to}; any
   * later reconcile, including the first one of a restarted operator, re-reports the entry it finds
   * in status, which creates nothing when the event exists and records it when a crash between the
   * status write and the event lost it.
   */
  private void reportPhase(Federation federation, FederationStatus from, FederationStatus after) {
    Optional<PhaseEntry> entry = PhaseEntry.of(after);
    if (entry.isEmpty()) {
      return;
    }
    Optional<PhaseEntry> previous = PhaseEntry.of(from);
    String message =
        (previous.isPresent() && !previous.equals(entry) ? previous.get().phase() + " -> " : "")
            + entry.get().describe();
    events.once(
        federation,
        entry.get().key(),
        entry.get().phase() == FederationPhase.Failed ? "Warning" : "Normal",
        "PhaseChanged",
        message);
  }

  /** One Warning event per failed trainer Job (name = round, client, attempt), ever. */
  private void reportFailedClients(Federation federation, List<Workload> workloads) {
    for (Workload w : workloads) {
      if (w.kind() != WorkloadKind.TRAINER || w.state() != WorkloadState.FAILED) {
        continue;
      }
      events.once(
          federation,
          "ClientFailed/" + w.name(),
          "Warning",
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

  /**
   * The protocol's requeue, shortened to {@link #ACTION_RETRY} when an action failed and to {@link
   * #AFTER_WRITE} when this reconcile wrote anything.
   */
  private static UpdateControl<Federation> requeue(
      Optional<Duration> requested, boolean ok, boolean wrote, boolean statusWritten) {
    Optional<Duration> delay = requested;
    if (!ok) {
      delay = Optional.of(shortest(delay, ACTION_RETRY));
    }
    if (statusWritten || wrote) {
      delay = Optional.of(shortest(delay, AFTER_WRITE));
    }
    UpdateControl<Federation> control = UpdateControl.noUpdate();
    if (delay.isEmpty()) {
      return control;
    }
    return delay.get().isZero() ? control.reschedule() : control.rescheduleAfter(delay.get());
  }

  private static Duration shortest(Optional<Duration> requested, Duration bound) {
    return requested.filter(d -> d.compareTo(bound) < 0).orElse(bound);
  }

  private static long generation(Federation federation) {
    Long generation = federation.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
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
