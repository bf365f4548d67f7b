package dev.flotilla.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.core.spec.FederationPhase;
import dev.flotilla.core.spec.FederationStatus;
import dev.flotilla.core.spec.RoundSummary;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.RoundManifest;
import dev.flotilla.core.storage.RoundStore;
import dev.flotilla.core.storage.S3ObjectStore;
import dev.flotilla.core.storage.StorageLayout;
import dev.flotilla.operator.api.v1alpha1.Federation;
import dev.flotilla.operator.workload.WorkloadLabels;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real operator restarts. The packaged operator ({@link OperatorProcess}, production profile with
 * leader election) runs as a child process against a fabric8 mock API server in CRUD mode and an
 * embedded S3 server, both in this JVM, while a {@link TestKubelet} plays the Job controller, the
 * trainers and the real aggregator. A 3-round federation is run once without interruption as the
 * reference, then again with the operator SIGKILLed three times: after round 1's trainer Jobs were
 * created (restarted as the same pod), while round 2 aggregates (replaced by a new pod, which must
 * wait for the dead leader's Lease to expire), and after round 3's aggregator wrote the manifest
 * but before its Job was marked succeeded, so before the operator could record the commit
 * (restarted as the same pod). The restarted run must create no Job twice, run no aggregator for a
 * committed round, lose no round, end in the reference's final status, and report each phase entry
 * and each failed client exactly once.
 *
 * <p>The packaged operator keeps server-side apply on (a build-time setting), which the mock server
 * refuses: ClientPool status writes fail and are retried here; the Federation reconciler does not
 * use server-side apply.
 */
class OperatorRestartIT {

  /** The mock server logs every request at INFO; kept referenced so the level sticks. */
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  private static final String LEASE_NAMESPACE = "flotilla-system";
  private static final String BUCKET = "flotilla-restart";
  private static final String NAME = "fed";
  private static final int ROUNDS = 3;
  private static final Duration STAGE_TIMEOUT = Duration.ofSeconds(150);

  private static KubernetesMockServer server;
  private static KubernetesClient client;
  private static S3TestServer s3;
  private static ObjectStore store;
  private static Path work;
  private static Path jar;

  private final AtomicReference<OperatorProcess> operator = new AtomicReference<>();

  @BeforeAll
  static void startServers() throws Exception {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    server.init();
    // Before leader election JOSDK checks its Lease permissions with a SelfSubjectRulesReview,
    // which only a real API server evaluates: answer it as the operator's Role would.
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            new SelfSubjectRulesReviewBuilder()
                .withNewStatus()
                .withIncomplete(false)
                .addNewResourceRule()
                .withApiGroups("coordination.k8s.io")
                .withResources("leases")
                .withVerbs("get", "create", "update")
                .endResourceRule()
                .endStatus()
                .build())
        .always();
    client = server.createClient();
    Path crds = Path.of(System.getProperty("flotilla.crds.generated", "target/kubernetes"));
    for (String file :
        List.of("federations.flotilla.dev-v1.yml", "clientpools.flotilla.dev-v1.yml")) {
      client
          .resource(
              Serialization.unmarshal(
                  Files.readString(crds.resolve(file)), CustomResourceDefinition.class))
          .create();
    }
    jar =
        Path.of(System.getProperty("flotilla.operator.jar", "target/quarkus-app/quarkus-run.jar"));
    s3 = S3TestServer.start();
    store = S3ObjectStore.open(s3.settings(BUCKET));
    work = Files.createTempDirectory("flotilla-restart-it");
  }

  @AfterAll
  static void stopServers() throws Exception {
    if (store instanceof AutoCloseable closeable) {
      closeable.close();
    }
    if (s3 != null) {
      s3.close();
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.destroy();
    }
  }

  @Test
  void resumesAfterSigkillAtEveryStageWithoutDuplicatesOrLostRounds() throws Exception {
    try {
      startOperator("flotilla-operator-0");

      // Reference: the same federation, uninterrupted.
      TestKubelet reference = kubelet("ref");
      createFederation("ref");
      Federation referenceDone = runUntilCompleted("ref", reference);
      assertThat(reference.problems()).isEmpty();

      // Stage 1: round 1's trainers are created (and held running), then SIGKILL.
      String ns = "restart";
      AtomicBoolean holdRound1 = new AtomicBoolean(true);
      AtomicBoolean holdAggregator2 = new AtomicBoolean(true);
      AtomicBoolean killedAfterAggregator3 = new AtomicBoolean(false);
      TestKubelet kubelet =
          kubelet(ns)
              .holding(
                  job ->
                      (holdRound1.get() && round(job) == 1 && isTrainer(job))
                          || (holdAggregator2.get() && round(job) == 2 && !isTrainer(job)))
              .beforeFinishing(
                  job -> {
                    if (round(job) == 3 && !isTrainer(job)) {
                      killOperator();
                      killedAfterAggregator3.set(true);
                    }
                  });
      createFederation(ns);
      stepUntil(ns, kubelet, () -> jobsOf(ns, 1, true).size() == 5);
      Map<String, String> round1 = uids(jobsOf(ns, 1, true));
      killOperator();
      startOperator("flotilla-operator-0");
      awaitLeader("flotilla-operator-0");
      awaitReconciled(ns);
      settle(ns, kubelet);
      assertThat(uids(jobsOf(ns, 1, true))).isEqualTo(round1);
      holdRound1.set(false);

      // Stage 2: round 2's aggregator exists (held running), then SIGKILL; a new pod takes over
      // once the dead leader's Lease expires.
      stepUntil(ns, kubelet, () -> jobsOf(ns, 2, false).size() == 1);
      assertThat(phaseOf(ns)).isEqualTo(FederationPhase.Aggregating);
      Map<String, String> round2 = uids(jobsOf(ns, 2, null));
      killOperator();
      startOperator("flotilla-operator-1");
      awaitLeader("flotilla-operator-1");
      awaitReconciled(ns);
      settle(ns, kubelet);
      assertThat(uids(jobsOf(ns, 2, null))).isEqualTo(round2);
      holdAggregator2.set(false);

      // Stage 3: round 3's aggregator commits the round, the operator dies before the Job is
      // marked succeeded, so its status still says Aggregating round 3.
      stepUntil(ns, kubelet, killedAfterAggregator3::get);
      RoundStore rounds = roundStore(ns);
      assertThat(rounds.readManifest(3)).isPresent();
      FederationStatus beforeRestart = get(ns).getStatus();
      assertThat(beforeRestart.getPhase()).isEqualTo(FederationPhase.Aggregating);
      assertThat(beforeRestart.getCurrentRound()).isEqualTo(3);
      startOperator("flotilla-operator-1");
      Federation done = runUntilCompleted(ns, kubelet);

      assertThat(kubelet.problems()).isEmpty();
      checkJobs(kubelet);
      assertThat(comparable(done.getStatus(), ns))
          .isEqualTo(comparable(referenceDone.getStatus(), "ref"));
      RoundStore referenceRounds = roundStore("ref");
      for (int r = 1; r <= ROUNDS; r++) {
        assertThat(accepted(rounds.readManifest(r).orElseThrow()))
            .as("round %d clients", r)
            .isEqualTo(accepted(referenceRounds.readManifest(r).orElseThrow()));
      }
      Lease lease =
          client.leases().inNamespace(LEASE_NAMESPACE).withName("flotilla-operator-lease").get();
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("flotilla-operator-1");
      checkEvents(ns, kubelet);
      checkEvents("ref", reference);
    } finally {
      killOperator();
    }
  }

  /** Exactly one Job per name (no re-creation by uid), one aggregator and 5 trainers per round. */
  private static void checkJobs(TestKubelet kubelet) {
    List<Job> jobs = kubelet.seen();
    assertThat(jobs).hasSize(ROUNDS * 6);
    assertThat(jobs.stream().map(j -> j.getMetadata().getName())).doesNotHaveDuplicates();
    for (int r = 1; r <= ROUNDS; r++) {
      int round = r;
      List<Job> ofRound = jobs.stream().filter(j -> round(j) == round).toList();
      assertThat(ofRound).filteredOn(OperatorRestartIT::isTrainer).hasSize(5);
      assertThat(ofRound).filteredOn(Predicate.not(OperatorRestartIT::isTrainer)).hasSize(1);
      assertThat(ofRound)
          .extracting(j -> j.getMetadata().getLabels().get(WorkloadLabels.ATTEMPT))
          .containsOnly("1");
    }
  }

  /** Each phase entry and each failed client reported once, with count 1; rounds committed once. */
  private void checkEvents(String ns, TestKubelet kubelet) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              List<Event> events = events(ns);
              assertThat(events).allSatisfy(e -> assertThat(e.getCount()).isEqualTo(1));
              List<String> entries =
                  events.stream()
                      .filter(e -> "PhaseChanged".equals(e.getReason()))
                      .map(e -> e.getMessage().replaceFirst("^\\w+ -> ", ""))
                      .toList();
              assertThat(entries)
                  .containsExactlyInAnyOrder(
                      "Training (round 1)",
                      "Aggregating (round 1)",
                      "Training (round 2)",
                      "Aggregating (round 2)",
                      "Training (round 3)",
                      "Aggregating (round 3)",
                      "Completed (round 3)");
              List<String> failedTrainers =
                  kubelet.seen().stream()
                      .filter(j -> round(j) == 2 && isTrainer(j) && client(j).startsWith("edge-"))
                      .map(OperatorRestartIT::client)
                      .toList();
              assertThat(failedTrainers).isNotEmpty();
              List<String> clientFailed =
                  events.stream()
                      .filter(e -> "ClientFailed".equals(e.getReason()))
                      .map(Event::getMessage)
                      .toList();
              assertThat(clientFailed).hasSameSizeAs(failedTrainers).doesNotHaveDuplicates();
              for (String id : failedTrainers) {
                assertThat(clientFailed).anySatisfy(m -> assertThat(m).contains(id, "round 2"));
              }
              assertThat(events)
                  .filteredOn(e -> "RoundCommitted".equals(e.getReason()))
                  .hasSize(ROUNDS);
            });
  }

  /** The status fields that must not depend on restarts (timestamps and locations excluded). */
  private static Map<String, Object> comparable(FederationStatus status, String prefix) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("phase", status.getPhase());
    out.put("currentRound", status.getCurrentRound());
    out.put("lastCommittedRound", status.getLastCommittedRound());
    out.put("failedRounds", status.getFailedRounds());
    out.put("totalClients", status.getTotalClients());
    out.put("round", status.getRound());
    out.put(
        "globalAdapterUri", status.getGlobalAdapterUri().replace("/" + prefix + "/", "/<prefix>/"));
    List<String> history = new ArrayList<>();
    for (RoundSummary r : status.getHistory()) {
      history.add(
          List.of(
                  r.getRound(),
                  r.getAttempt(),
                  r.getBaseRound(),
                  r.getSampled(),
                  r.getSucceeded(),
                  r.getFailed(),
                  r.getOutcome(),
                  String.valueOf(r.getMeanTrainLoss()),
                  String.valueOf(r.getEvalMetric()))
              .toString());
    }
    out.put("history", history);
    out.put(
        "conditions",
        status.getConditions().stream()
            .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
            .toList());
    return out;
  }

  private static List<String> accepted(RoundManifest manifest) {
    return manifest.accepted().stream().map(RoundManifest.AcceptedClient::clientId).toList();
  }

  private void startOperator(String identity) throws Exception {
    forgetRequests();
    operator.set(
        OperatorProcess.start(
            jar,
            server.url("/").replaceAll("/$", ""),
            LEASE_NAMESPACE,
            identity,
            work.resolve("logs")));
  }

  private void killOperator() {
    OperatorProcess current = operator.getAndSet(null);
    if (current == null) {
      return;
    }
    try {
      current.kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing the operator", e);
    }
  }

  /** Waits until {@code identity} holds the leader Lease, i.e. its controllers run. */
  private void awaitLeader(String identity) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () -> {
              checkOperatorAlive();
              Lease lease =
                  client
                      .leases()
                      .inNamespace(LEASE_NAMESPACE)
                      .withName("flotilla-operator-lease")
                      .get();
              return identity.equals(lease.getSpec().getHolderIdentity())
                  && lease.getSpec().getRenewTime() != null;
            });
  }

  /** Drops the requests the mock server recorded so far. */
  private static void forgetRequests() throws InterruptedException {
    while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
      // drained
    }
  }

  /**
   * Waits until the operator started last has reconciled the Federation of {@code ns}: a fresh
   * process re-reports the phase entry it finds in status, which is an Event create (refused as a
   * duplicate when the event exists).
   */
  private void awaitReconciled(String ns) throws InterruptedException {
    String events = "/api/v1/namespaces/" + ns + "/events";
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      checkOperatorAlive();
      RecordedRequest request = server.takeRequest(200, TimeUnit.MILLISECONDS);
      if (request != null
          && "POST".equals(request.getMethod())
          && request.getPath().startsWith(events)) {
        return;
      }
    }
    throw new AssertionError("the restarted operator did not reconcile " + ns + "/" + NAME);
  }

  /** Lets a restarted operator reconcile for a few seconds while held workloads keep running. */
  private void settle(String ns, TestKubelet kubelet) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
    while (System.nanoTime() < end) {
      kubelet.step(ns);
      checkOperatorAlive();
      Thread.sleep(200);
    }
  }

  private void stepUntil(String ns, TestKubelet kubelet, Callable<Boolean> condition) {
    await()
        .atMost(STAGE_TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              kubelet.step(ns);
              if (operator.get() != null) {
                checkOperatorAlive();
              }
              Optional<FederationStatus> status =
                  Optional.ofNullable(get(ns)).map(Federation::getStatus);
              assertThat(status.map(FederationStatus::getPhase))
                  .as("federation %s/%s failed: %s", ns, NAME, status)
                  .isNotEqualTo(Optional.of(FederationPhase.Failed));
              return condition.call();
            });
  }

  private Federation runUntilCompleted(String ns, TestKubelet kubelet) {
    stepUntil(ns, kubelet, () -> phaseOf(ns) == FederationPhase.Completed);
    return get(ns);
  }

  private void checkOperatorAlive() {
    OperatorProcess current = operator.get();
    if (current != null && !current.alive()) {
      String log;
      try {
        log = Files.readString(current.log());
      } catch (IOException e) {
        log = "(log unreadable: " + e.getMessage() + ")";
      }
      throw new AssertionError(
          "the operator exited on its own; last output:\n"
              + log.substring(Math.max(0, log.length() - 4000)));
    }
  }

  private TestKubelet kubelet(String ns) {
    client.resource(FederationFixtures.secret(ns)).create();
    client.resource(FederationFixtures.gpuPool(ns)).create();
    client.resource(FederationFixtures.edgePool(ns)).create();
    // Round 2 loses its edge clients for good (at least one is sampled); quorum 3 of 5 holds.
    return new TestKubelet(client, store, work)
        .failing(job -> round(job) == 2 && client(job).startsWith("edge-"));
  }

  private void createFederation(String ns) {
    client
        .resource(
            FederationFixtures.federation(
                ns, NAME, ROUNDS, "[gpu-pool, edge-pool]", s3.endpoint(), BUCKET, ns))
        .create();
  }

  private static RoundStore roundStore(String prefix) {
    return new RoundStore(store, new StorageLayout(BUCKET, prefix, NAME));
  }

  private FederationPhase phaseOf(String ns) {
    Federation federation = get(ns);
    return federation == null || federation.getStatus() == null
        ? null
        : federation.getStatus().getPhase();
  }

  private Federation get(String ns) {
    return client.resources(Federation.class).inNamespace(ns).withName(NAME).get();
  }

  /** Jobs of a round: trainers ({@code true}), aggregators ({@code false}) or both (null). */
  private List<Job> jobsOf(String ns, int round, Boolean trainers) {
    return client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .withLabel(WorkloadLabels.ROUND, Integer.toString(round))
        .list()
        .getItems()
        .stream()
        .filter(j -> trainers == null || isTrainer(j) == trainers)
        .toList();
  }

  private static Map<String, String> uids(List<Job> jobs) {
    Map<String, String> uids = new HashMap<>();
    jobs.forEach(j -> uids.put(j.getMetadata().getName(), j.getMetadata().getUid()));
    return uids;
  }

  private List<Event> events(String ns) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> NAME.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  private static int round(Job job) {
    return Integer.parseInt(job.getMetadata().getLabels().get(WorkloadLabels.ROUND));
  }

  private static boolean isTrainer(Job job) {
    return WorkloadLabels.TRAINER.equals(
        job.getMetadata().getLabels().get(WorkloadLabels.COMPONENT));
  }

  private static String client(Job job) {
    String id = job.getMetadata().getLabels().get(WorkloadLabels.CLIENT);
    return id == null ? "" : id;
  }
}
