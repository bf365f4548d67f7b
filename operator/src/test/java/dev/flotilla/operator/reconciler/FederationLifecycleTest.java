package dev.flotilla.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.core.spec.Condition;
import dev.flotilla.core.spec.ConditionStatus;
import dev.flotilla.core.spec.FederationPhase;
import dev.flotilla.core.spec.FederationStatus;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.RoundManifest;
import dev.flotilla.core.storage.RoundStore;
import dev.flotilla.core.storage.S3ObjectStore;
import dev.flotilla.core.storage.StorageLayout;
import dev.flotilla.operator.api.v1alpha1.ClientPool;
import dev.flotilla.operator.api.v1alpha1.Federation;
import dev.flotilla.operator.workload.WorkloadLabels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Full federations against the fabric8 mock API server (CRUD mode) and an embedded S3 server: a
 * {@link TestKubelet} plays the Job controller, the trainers (real PEFT uploads) and the real
 * aggregator CLI, while the operator under test drives the rounds.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class FederationLifecycleTest {

  static final String BUCKET = "flotilla-e2e";
  static S3TestServer s3;
  static ObjectStore store;
  static Path work;

  @Inject KubernetesClient client;

  @BeforeAll
  static void startStorage() throws Exception {
    s3 = S3TestServer.start();
    store = S3ObjectStore.open(s3.settings(BUCKET));
    work = Files.createTempDirectory("flotilla-operator-test");
  }

  @AfterAll
  static void stopStorage() throws Exception {
    if (store instanceof AutoCloseable closeable) {
      closeable.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void runsEveryRoundWithRealAggregationAndAFailedClient() throws Exception {
    String ns = "e2e";
    createSecret(ns);
    client.resource(gpuPool(ns)).create();
    client.resource(edgePool(ns)).create();
    client.resource(federation(ns, "fed-a", 3, "[gpu-pool, edge-pool]")).create();

    // The first round-2 trainer fails for good; the round still aggregates (quorum 3 of 5).
    AtomicReference<String> failed = new AtomicReference<>();
    TestKubelet kubelet =
        new TestKubelet(client, store, work)
            .failing(
                job -> {
                  if (!"2".equals(label(job, WorkloadLabels.ROUND))) {
                    return false;
                  }
                  String id = label(job, WorkloadLabels.CLIENT);
                  return id.equals(failed.updateAndGet(c -> c != null ? c : id));
                });
    Set<FederationPhase> phases = new LinkedHashSet<>();
    Federation done = runUntil(ns, "fed-a", kubelet, phases, FederationPhase.Completed);
    assertThat(kubelet.problems()).isEmpty();

    FederationStatus status = done.getStatus();
    assertThat(phases).contains(FederationPhase.Training, FederationPhase.Aggregating);
    assertThat(status.getCurrentRound()).isEqualTo(3);
    assertThat(status.getLastCommittedRound()).isEqualTo(3);
    assertThat(status.getTotalClients()).isEqualTo(6);
    assertThat(status.getObservedGeneration()).isEqualTo(done.getMetadata().getGeneration());
    assertThat(status.getHistory()).hasSize(3);
    assertThat(status.getGlobalAdapterUri()).contains("fed-a/rounds/0003/global");
    Condition ready = condition(status, "Ready");
    assertThat(ready.getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(ready.getObservedGeneration()).isEqualTo(done.getMetadata().getGeneration());

    RoundStore rounds = new RoundStore(store, new StorageLayout(BUCKET, "flotilla", "fed-a"));
    RoundManifest second = rounds.readManifest(2).orElseThrow();
    assertThat(second.accepted())
        .hasSize(4)
        .extracting(RoundManifest.AcceptedClient::clientId)
        .doesNotContain(failed.get());
    assertThat(second.rankAdapterPrefixes()).containsKeys(2, 4, 8);

    List<Job> jobs = kubelet.seen();
    // 5 trainers + 1 aggregator per round, no duplicates.
    assertThat(jobs).hasSize(18);
    assertThat(jobs.stream().map(j -> j.getMetadata().getName()).distinct()).hasSize(18);
    // 5 of 6 clients are sampled, so round 1 has trainers of both pools.
    Map<String, Integer> edgeRanks = Map.of("edge-a", 2, "edge-b", 8);
    List<Job> firstRound = roundTrainers(jobs, 1);
    assertThat(firstRound).hasSize(5);
    for (Job trainer : firstRound) {
      String id = label(trainer, WorkloadLabels.CLIENT);
      boolean gpu = id.startsWith("client-");
      checkTrainerJob(done, trainer, gpu ? 4 : edgeRanks.get(id), gpu);
    }

    checkPromptTransitions(kubelet, 3);

    List<Event> events = events(ns, "fed-a");
    assertThat(events)
        .extracting(Event::getReason)
        .contains("PhaseChanged", "ClientFailed", "TrainersCreated");
    assertThat(events).allSatisfy(e -> assertThat(e.getCount()).isEqualTo(1));
    // One PhaseChanged event per phase entry (a Pending entry may precede them while the pool
    // informer is still syncing).
    assertThat(events)
        .filteredOn(e -> "PhaseChanged".equals(e.getReason()))
        .extracting(e -> e.getMessage().replaceFirst("^\\w+ -> ", ""))
        .filteredOn(m -> !m.startsWith("Pending"))
        .containsExactlyInAnyOrder(
            "Training (round 1)",
            "Aggregating (round 1)",
            "Training (round 2)",
            "Aggregating (round 2)",
            "Training (round 3)",
            "Aggregating (round 3)",
            "Completed (round 3)");
    assertThat(events)
        .filteredOn(e -> "ClientFailed".equals(e.getReason()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage()).contains(failed.get(), "round 2");
            });
  }

  @Test
  void resumesAfterStatusLossWithoutDuplicateJobs() throws Exception {
    String ns = "resume";
    createSecret(ns);
    client.resource(gpuPool(ns)).create();
    client.resource(edgePool(ns)).create();
    client.resource(federation(ns, "fed-b", 2, "[gpu-pool, edge-pool]")).create();

    // Round 2 trainers are held running while the status is wiped (a lost or restored status).
    boolean[] hold = {true};
    TestKubelet kubelet =
        new TestKubelet(client, store, work)
            .holding(job -> hold[0] && "2".equals(label(job, WorkloadLabels.ROUND)));
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              kubelet.step(ns);
              return roundJobs(ns, 2).size() == 5;
            });
    Federation before = get(ns, "fed-b");
    assertThat(before.getStatus().getCurrentRound()).isEqualTo(2);
    client
        .resources(Federation.class)
        .inNamespace(ns)
        .withName("fed-b")
        .editStatus(
            f -> {
              f.setStatus(null);
              return f;
            });
    // The trainers finish; on their events the operator rebuilds the status from the committed
    // manifest of round 1 and the observed round-2 Jobs, and carries on without recreating them.
    hold[0] = false;
    Federation done =
        runUntil(ns, "fed-b", kubelet, new LinkedHashSet<>(), FederationPhase.Completed);
    assertThat(kubelet.problems()).isEmpty();
    assertThat(done.getStatus().getLastCommittedRound()).isEqualTo(2);
    // Every Job ever created for round 2: the 5 trainers and the aggregator, all of attempt 1.
    List<String> round2 =
        kubelet.seen().stream()
            .filter(job -> "2".equals(label(job, WorkloadLabels.ROUND)))
            .map(job -> job.getMetadata().getName())
            .toList();
    assertThat(round2).hasSize(6).doesNotHaveDuplicates().noneMatch(name -> name.contains("-a2"));
  }

  @Test
  void startsPromptlyOnceTheStorageSecretAppears() {
    String ns = "late-secret";
    client.resource(gpuPool(ns)).create();
    client.resource(federation(ns, "fed-c", 1, "[gpu-pool]")).create();
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () ->
                assertThat(condition(statusOf(ns, "fed-c").orElseThrow(), "Ready").getReason())
                    .isEqualTo("StorageSecretInvalid"));
    // Blocked reconciles retry after 1 s, 2 s, 4 s...: a Secret created now is used within
    // seconds, not after a fixed 30 s retry (nor the periodic resync: Secrets are not watched).
    createSecret(ns);
    long created = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> roundJobs(ns, 1).size() == 4); // every client of gpu-pool
    assertThat(Duration.ofNanos(System.nanoTime() - created)).isLessThan(Duration.ofSeconds(12));
    assertThat(statusOf(ns, "fed-c").orElseThrow().getPhase()).isEqualTo(FederationPhase.Training);
  }

  @Test
  void reportsAnInvalidSpecInConditions() throws Exception {
    String ns = "invalid";
    createSecret(ns);
    client.resource(federation(ns, "no-pools", 1, "[missing-pool]")).create();
    Federation noSecret = federation(ns, "no-secret", 1, "[gpu-pool]");
    noSecret.getSpec().getStorage().getSecretRef().setName("absent");
    client.resource(gpuPool(ns)).create();
    client.resource(noSecret).create();

    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              FederationStatus status = statusOf(ns, "no-pools").orElseThrow();
              assertThat(status.getPhase()).isEqualTo(FederationPhase.Pending);
              Condition ready = condition(status, "Ready");
              assertThat(ready.getStatus()).isEqualTo(ConditionStatus.False);
              assertThat(ready.getReason()).isEqualTo("InvalidSpec");
              assertThat(ready.getMessage()).contains("missing-pool");
              assertThat(ready.getObservedGeneration()).isEqualTo(1L);
            });
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Condition ready = condition(statusOf(ns, "no-secret").orElseThrow(), "Ready");
              assertThat(ready.getReason()).isEqualTo("StorageSecretInvalid");
              assertThat(ready.getMessage()).contains("absent", "not found");
            });
    assertThat(roundJobs(ns, 1)).isEmpty();
  }

  @Test
  void clientPoolsReportTheirClientsAndValidity() {
    String ns = "pools";
    client.resource(gpuPool(ns)).create();
    ClientPool bad = gpuPool(ns);
    bad.getMetadata().setName("bad-pool");
    bad.getSpec().getResources().getLimits().put("memory", "lots");
    client.resource(bad).create();
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              ClientPool good =
                  client.resources(ClientPool.class).inNamespace(ns).withName("gpu-pool").get();
              assertThat(good.getStatus().getClients()).isEqualTo(4);
              assertThat(good.getStatus().getConditions())
                  .singleElement()
                  .satisfies(c -> assertThat(c.getStatus()).isEqualTo(ConditionStatus.True));
              ClientPool invalid =
                  client.resources(ClientPool.class).inNamespace(ns).withName("bad-pool").get();
              assertThat(invalid.getStatus().getConditions())
                  .singleElement()
                  .satisfies(
                      c -> {
                        assertThat(c.getStatus()).isEqualTo(ConditionStatus.False);
                        assertThat(c.getMessage()).contains("spec.resources.limits[memory]");
                      });
            });
  }

  private void checkTrainerJob(Federation federation, Job job, int rank, boolean gpu) {
    assertThat(job.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            ref -> {
              assertThat(ref.getUid()).isEqualTo(federation.getMetadata().getUid());
              assertThat(ref.getKind()).isEqualTo("Federation");
              assertThat(ref.getController()).isTrue();
            });
    assertThat(job.getMetadata().getLabels())
        .containsEntry(WorkloadLabels.FEDERATION, federation.getMetadata().getName())
        .containsEntry(WorkloadLabels.COMPONENT, WorkloadLabels.TRAINER)
        .containsEntry(WorkloadLabels.MANAGED_BY, "flotilla")
        .containsEntry(WorkloadLabels.ROUND, "1")
        .containsKeys(WorkloadLabels.CLIENT, WorkloadLabels.NAME, WorkloadLabels.INSTANCE);
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(1);
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isBetween(60L, 600L);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isGreaterThan(600);
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    Container container = pod.getContainers().get(0);
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getSecurityContext().getSeccompProfile().getType())
        .isEqualTo("RuntimeDefault");
    assertThat(container.getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .contains("/tmp", "/cache");
    assertThat(TestKubelet.args(container.getArgs())).containsEntry("rank", Integer.toString(rank));
    // No storage credential in a trainer pod: its grant Secret (owned like the Job) is all it gets.
    assertThat(container.getEnv()).noneMatch(e -> e.getName().startsWith("FLOTILLA_S3_"));
    Secret grant =
        client
            .secrets()
            .inNamespace(job.getMetadata().getNamespace())
            .withName(job.getMetadata().getName())
            .get();
    assertThat(grant).as("grant Secret of %s", job.getMetadata().getName()).isNotNull();
    // Handed to its Job once the Job exists: collected with it, not kept until the Federation goes.
    assertThat(grant.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            ref -> {
              assertThat(ref.getKind()).isEqualTo("Job");
              assertThat(ref.getUid()).isEqualTo(job.getMetadata().getUid());
            });
    if (gpu) {
      assertThat(container.getResources().getLimits())
          .containsEntry("nvidia.com/gpu", new Quantity("1"));
      assertThat(pod.getRuntimeClassName()).isEqualTo("nvidia");
      assertThat(pod.getNodeSelector()).containsEntry("accelerator", "a100");
      assertThat(pod.getTolerations())
          .extracting(t -> t.getKey())
          .containsExactly("nvidia.com/gpu");
      assertThat(container.getEnv())
          .anySatisfy(e -> assertThat(e.getName()).isEqualTo("NCCL_DEBUG"));
    } else {
      assertThat(container.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
    }
  }

  /**
   * Every transition that only records intent in status (aggregate, next round) happens within
   * seconds of the Job event that caused it: the kubelet acts once per Job, so a transition that
   * waited for another event would only happen at the periodic resync (minutes).
   */
  private static void checkPromptTransitions(TestKubelet kubelet, int rounds) {
    Duration bound = Duration.ofSeconds(10);
    Map<String, Instant> seen = kubelet.seenAt();
    Map<String, Instant> finished = kubelet.finishedAt();
    for (int round = 1; round <= rounds; round++) {
      List<Job> jobs = roundJobs(kubelet.seen(), round);
      Instant lastTrainer =
          jobs.stream()
              .filter(j -> WorkloadLabels.TRAINER.equals(label(j, WorkloadLabels.COMPONENT)))
              .map(j -> finished.get(j.getMetadata().getName()))
              .max(Instant::compareTo)
              .orElseThrow();
      Job aggregator =
          jobs.stream()
              .filter(j -> WorkloadLabels.AGGREGATOR.equals(label(j, WorkloadLabels.COMPONENT)))
              .findFirst()
              .orElseThrow();
      assertThat(Duration.between(lastTrainer, seen.get(aggregator.getMetadata().getName())))
          .as("round %d: last trainer finished -> aggregator created", round)
          .isLessThan(bound);
      if (round < rounds) {
        Instant nextTrainers =
            roundJobs(kubelet.seen(), round + 1).stream()
                .map(j -> seen.get(j.getMetadata().getName()))
                .min(Instant::compareTo)
                .orElseThrow();
        assertThat(Duration.between(finished.get(aggregator.getMetadata().getName()), nextTrainers))
            .as("round %d: aggregator finished -> next round's trainers created", round)
            .isLessThan(bound);
      }
    }
  }

  private Federation runUntil(
      String ns,
      String name,
      TestKubelet kubelet,
      Set<FederationPhase> phases,
      FederationPhase goal) {
    AtomicReference<Exception> kubeletError = new AtomicReference<>();
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .failFast(
            "the test kubelet failed or saw a problem",
            () -> {
              if (kubeletError.get() != null) {
                throw new AssertionError("test kubelet failed", kubeletError.get());
              }
              assertThat(kubelet.problems()).as("test kubelet problems").isEmpty();
            })
        .until(
            () -> {
              try {
                kubelet.step(ns);
              } catch (Exception e) {
                kubeletError.set(e);
                throw new AssertionError(e);
              }
              Optional<FederationStatus> status = statusOf(ns, name);
              status.map(FederationStatus::getPhase).ifPresent(phases::add);
              assertThat(status.map(FederationStatus::getPhase))
                  .as("federation %s failed: %s", name, status.map(Object::toString))
                  .isNotEqualTo(Optional.of(FederationPhase.Failed));
              return status.map(FederationStatus::getPhase).orElse(null) == goal;
            });
    return get(ns, name);
  }

  private List<String> roundJobs(String ns, int round) {
    return client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .withLabel(WorkloadLabels.ROUND, Integer.toString(round))
        .list()
        .getItems()
        .stream()
        .map(j -> j.getMetadata().getName())
        .toList();
  }

  private List<Event> events(String ns, String name) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  private Federation get(String ns, String name) {
    return client.resources(Federation.class).inNamespace(ns).withName(name).get();
  }

  private Optional<FederationStatus> statusOf(String ns, String name) {
    return Optional.ofNullable(get(ns, name)).map(Federation::getStatus);
  }

  private static List<Job> roundJobs(List<Job> jobs, int round) {
    return jobs.stream()
        .filter(j -> Integer.toString(round).equals(label(j, WorkloadLabels.ROUND)))
        .toList();
  }

  private static List<Job> roundTrainers(List<Job> jobs, int round) {
    return jobs.stream()
        .filter(j -> Integer.toString(round).equals(label(j, WorkloadLabels.ROUND)))
        .filter(j -> WorkloadLabels.TRAINER.equals(label(j, WorkloadLabels.COMPONENT)))
        .toList();
  }

  private static String label(Job job, String key) {
    return job.getMetadata().getLabels().get(key);
  }

  private static Condition condition(FederationStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " condition in " + status));
  }

  private void createSecret(String ns) {
    client.resource(FederationFixtures.secret(ns)).create();
  }

  private static ClientPool gpuPool(String ns) {
    return FederationFixtures.gpuPool(ns);
  }

  private static ClientPool edgePool(String ns) {
    return FederationFixtures.edgePool(ns);
  }

  private static Federation federation(String ns, String name, int rounds, String pools) {
    return FederationFixtures.federation(
        ns, name, rounds, pools, s3.endpoint(), BUCKET, "flotilla");
  }
}
