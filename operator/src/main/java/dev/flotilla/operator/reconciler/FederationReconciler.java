package dev.flotilla.operator.reconciler;

import dev.flotilla.core.protocol.Decision;
import dev.flotilla.core.protocol.Observation;
import dev.flotilla.core.protocol.RoundProtocol;
import dev.flotilla.core.protocol.Workload;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.FederationStatus;
import dev.flotilla.core.storage.ForeignDataException;
import dev.flotilla.core.storage.RoundManifest;
import dev.flotilla.core.storage.RoundStore;
import dev.flotilla.operator.api.v1alpha1.ClientPool;
import dev.flotilla.operator.api.v1alpha1.Federation;
import dev.flotilla.operator.metrics.FederationMetrics;
import dev.flotilla.operator.policy.AdmissionPolicy;
import dev.flotilla.operator.pools.ClientPoolResolver;
import dev.flotilla.operator.storage.FederationStorage;
import dev.flotilla.operator.workload.JobObserver;
import dev.flotilla.operator.workload.WorkloadLabels;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.quarkiverse.operatorsdk.annotations.RBACRule;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Runs Federations: observes the federation's Jobs (label-filtered informer), its ClientPools
 * (informer cache) and its committed manifests (object storage), asks core's {@link RoundProtocol}
 * what to do, and hands the decision to {@link DecisionExecutor}. All round logic lives in core.
 *
 * <p>Never waits inside a reconcile: progress is driven by Job and ClientPool events, by the
 * requeue the decision asks for, by the short re-observation after every write, and, as a safety
 * net, by a periodic resync every {@value #RESYNC_MINUTES} minutes.
 */
@ControllerConfiguration(
    name = FederationReconciler.NAME,
    maxReconciliationInterval =
        @MaxReconciliationInterval(
            interval = FederationReconciler.RESYNC_MINUTES,
            timeUnit = TimeUnit.MINUTES))
// Trainer and aggregator workloads: watched through the label-filtered informer, created and
// deleted by the DecisionExecutor; never updated or patched.
@RBACRule(
    apiGroups = "batch",
    resources = "jobs",
    verbs = {"get", "list", "watch", "create", "delete"})
// The ClientPools a Federation selects, read from the informer cache only.
@RBACRule(
    apiGroups = "flotilla.dev",
    resources = "clientpools",
    verbs = {"get", "list", "watch"})
// Events on phase changes and failed clients.
@RBACRule(
    apiGroups = "",
    resources = "events",
    verbs = {"create", "patch"})
// Object-store credentials, read by name only: no list or watch, so no Secret can be discovered;
// create: each workload's storage-grant Secret (named after its Job).
// patch: a grant Secret is handed to its Job once the Job exists (ownerReferences only).
@RBACRule(
    apiGroups = "",
    resources = "secrets",
    verbs = {"get", "create", "patch"})
public class FederationReconciler implements Reconciler<Federation> {

  /** Controller name (used in configuration keys and metrics). */
  public static final String NAME = "federation";

  /** Name of the Job event source. */
  static final String JOBS = "jobs";

  /** Name of the ClientPool event source. */
  static final String POOLS = "clientpools";

  /** Periodic resync: every Federation is reconciled at least this often (minutes). */
  static final long RESYNC_MINUTES = 2;

  /** First retry delay while the spec cannot be acted on (storage down, Secret missing). */
  static final Duration BLOCKED_RETRY_FIRST = Duration.ofSeconds(1);

  /** Longest retry delay while blocked; the delay doubles from the first one up to this. */
  static final Duration BLOCKED_RETRY_MAX = Duration.ofSeconds(30);

  private static final Logger LOG = Logger.getLogger(FederationReconciler.class);

  private final FederationStorage storage;
  private final DecisionExecutor executor;
  private final FederationMetrics metrics;
  private final AdmissionPolicy policy;
  private final Clock clock;

  /** Consecutive blocked reconciles per Federation, for the retry backoff. */
  private final Map<ResourceID, Integer> blockedStreak = new ConcurrentHashMap<>();

  /** The reconciler with its collaborators. */
  public FederationReconciler(
      FederationStorage storage,
      DecisionExecutor executor,
      FederationMetrics metrics,
      AdmissionPolicy policy) {
    this.storage = storage;
    this.executor = executor;
    this.metrics = metrics;
    this.policy = policy;
    this.clock = Clock.systemUTC();
  }

  @Override
  public List<EventSource<?, Federation>> prepareEventSources(
      EventSourceContext<Federation> context) {
    InformerEventSource<Job, Federation> jobs =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Job.class, Federation.class)
                .withName(JOBS)
                .withLabelSelector(WorkloadLabels.SELECTOR)
                .withSecondaryToPrimaryMapper(FederationReconciler::federationOfJob)
                .build(),
            context);
    InformerEventSource<ClientPool, Federation> pools =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ClientPool.class, Federation.class)
                .withName(POOLS)
                .withSecondaryToPrimaryMapper(
                    pool ->
                        context
                            .getPrimaryCache()
                            // Any namespace: a Federation may name pools of other namespaces.
                            .list(federation -> ClientPoolResolver.selects(federation, pool))
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    return List.of(jobs, pools);
  }

  /**
   * Maps a Job to its Federation through its {@code flotilla.dev/federation} and {@code
   * flotilla.dev/federation-namespace} labels (a trainer of a pool in another namespace runs
   * there); a Job without the namespace label is its Federation's namespace's.
   */
  static Set<ResourceID> federationOfJob(Job job) {
    Map<String, String> labels = job.getMetadata().getLabels();
    String federation = labels == null ? null : labels.get(WorkloadLabels.FEDERATION);
    if (federation == null) {
      return Set.of();
    }
    String namespace =
        labels.getOrDefault(WorkloadLabels.FEDERATION_NAMESPACE, job.getMetadata().getNamespace());
    return Set.of(new ResourceID(federation, namespace));
  }

  @Override
  public UpdateControl<Federation> reconcile(Federation federation, Context<Federation> context)
      throws InterruptedException {
    Instant now = clock.instant();
    Observation observation;
    RoundStore rounds;
    try {
      Map<String, ClientPoolSpec> pools =
          ClientPoolResolver.resolve(federation, poolCache(context));
      // The admission policy, before any Secret is read, object store called or Job created.
      policy.check(federation, pools);
      // Workloads are observed before manifests are probed, so a finished aggregator's manifest
      // is always seen (see RoundProtocol).
      List<Workload> workloads =
          context.getSecondaryResources(Job.class).stream()
              .map(JobObserver::observe)
              .flatMap(Optional::stream)
              .toList();
      List<String> problems = SpecGate.problems(federation, pools);
      if (!problems.isEmpty()) {
        // Refused before any I/O: no Secret is read, no storage is contacted.
        Observation refused =
            new Observation(
                federation.getMetadata().getName(),
                generation(federation),
                federation.getSpec(),
                federation.getStatus(),
                pools,
                workloads,
                Optional.empty(),
                now);
        blockedStreak.remove(ResourceID.fromResource(federation));
        return executor.execute(
            federation, refused, RoundProtocol.refuse(refused, problems), null, context);
      }
      rounds = storage.roundStore(federation);
      Optional<RoundManifest> latest = latestManifest(federation, rounds);
      observation =
          new Observation(
              federation.getMetadata().getName(),
              generation(federation),
              federation.getSpec(),
              federation.getStatus(),
              pools,
              workloads,
              latest,
              now);
    } catch (InvalidSpecException e) {
      return blocked(federation, context, e, now);
    }
    blockedStreak.remove(ResourceID.fromResource(federation));
    Decision decision = RoundProtocol.decide(observation);
    return executor.execute(federation, observation, decision, rounds, context);
  }

  private Optional<RoundManifest> latestManifest(Federation federation, RoundStore rounds)
      throws InvalidSpecException {
    RoundProtocol.ManifestProbe probe =
        RoundProtocol.manifestProbe(federation.getSpec(), federation.getStatus());
    try {
      return rounds.latestCommitted(probe.from(), probe.downTo());
    } catch (ForeignDataException e) {
      throw new InvalidSpecException("ForeignManifest", e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new InvalidSpecException(
          "StorageUnavailable", "cannot read round manifests: " + e.getMessage(), e);
    }
  }

  /**
   * The spec cannot be acted on yet: report it in a condition and retry with a backoff of 1 s
   * doubling up to 30 s, without error. Storage outages are often brief, so the first retries are
   * quick; a Secret created later is picked up within 30 s.
   */
  private UpdateControl<Federation> blocked(
      Federation federation, Context<Federation> context, InvalidSpecException e, Instant now) {
    LOG.debugf(
        "federation %s/%s blocked: %s",
        federation.getMetadata().getNamespace(),
        federation.getMetadata().getName(),
        e.getMessage());
    FederationStatus status =
        BlockedStatus.of(federation.getStatus(), generation(federation), e, now);
    executor.reportBlocked(federation, status, e, context);
    int streak = blockedStreak.merge(ResourceID.fromResource(federation), 1, Integer::sum);
    return UpdateControl.<Federation>noUpdate().rescheduleAfter(blockedRetry(streak));
  }

  @Override
  public ErrorStatusUpdateControl<Federation> updateErrorStatus(
      Federation federation, Context<Federation> context, Exception e) {
    metrics.reconcileError(NAME, e.getClass().getSimpleName());
    LOG.warnf(
        e,
        "reconcile of federation %s/%s failed",
        federation.getMetadata().getNamespace(),
        federation.getMetadata().getName());
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }

  /** The retry delay after {@code streak} consecutive blocked reconciles. */
  static Duration blockedRetry(int streak) {
    int doublings = Math.min(Math.max(streak - 1, 0), 16);
    Duration delay = BLOCKED_RETRY_FIRST.multipliedBy(1L << doublings);
    return delay.compareTo(BLOCKED_RETRY_MAX) > 0 ? BLOCKED_RETRY_MAX : delay;
  }

  @SuppressWarnings("unchecked")
  private static ResourceCache<ClientPool> poolCache(Context<Federation> context) {
    return (InformerEventSource<ClientPool, Federation>)
        context.eventSourceRetriever().getEventSourceFor(ClientPool.class, POOLS);
  }

  private static long generation(Federation federation) {
    Long generation = federation.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }
}
