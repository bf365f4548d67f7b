package dev.flotilla.operator.bench;

import dev.flotilla.core.protocol.Action;
import dev.flotilla.core.protocol.Decision;
import dev.flotilla.core.protocol.Observation;
import dev.flotilla.core.protocol.RoundProtocol;
import dev.flotilla.core.protocol.Workload;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.FederationStatus;
import dev.flotilla.operator.api.v1alpha1.ClientPool;
import dev.flotilla.operator.api.v1alpha1.Federation;
import dev.flotilla.operator.workload.JobBatches;
import dev.flotilla.operator.workload.JobFactory;
import dev.flotilla.operator.workload.JobObserver;
import dev.flotilla.operator.workload.TestOperatorConfig;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Times the operator's scheduling path for one 1,000-client round of a 10,000-client federation
 * against the fabric8 mock API server (CRUD mode): the protocol decisions (intent, then plan and
 * trainers), building the 1,000 Jobs, creating them in bounded parallel batches, and the steady
 * state reconcile over the 1,000 observed Jobs. The reference is the same creation done one Job at
 * a time. Prints figures and the heap in use after a full GC. Not a unit test; see
 * docs/benchmarks/operator.md for the command.
 */
public final class SchedulingBenchmark {

  private static final int CLIENTS = 10_000;
  private static final int SAMPLED = 1_000;
  private static final String NS = "bench";

  private SchedulingBenchmark() {}

  /** Runs the benchmark; args: [parallelism (default 32)]. */
  public static void main(String[] args) throws Exception {
    int parallelism = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    try (KubernetesClient client = server.createClient()) {
      warmUp(client, parallelism);
      Result parallel = round(client, "fed-parallel", parallelism);
      Result sequential = round(client, "fed-sequential", 1);
      System.gc();
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
      long maxHeap = Runtime.getRuntime().maxMemory() >> 20;
      System.out.printf(
          "federation: %,d clients, %,d sampled per round, create parallelism %d%n",
          CLIENTS, SAMPLED, parallelism);
      System.out.printf("  decide (record intent)        %7.1f ms%n", parallel.intentMs);
      System.out.printf("  decide (plan + %d trainers) %7.1f ms%n", SAMPLED, parallel.planMs);
      System.out.printf("  build %d Jobs                %7.1f ms%n", SAMPLED, parallel.buildMs);
      System.out.printf(
          "  create %d Jobs (parallel %2d)  %7.1f ms%n", SAMPLED, parallelism, parallel.createMs);
      System.out.printf("  list + decide over %d Jobs    %7.1f ms%n", SAMPLED, parallel.steadyMs);
      System.out.printf(
          "round scheduled in %.2f s (target <= 10 s, ratio %.3f)%n",
          parallel.totalMs() / 1000, parallel.totalMs() / 10_000);
      System.out.printf(
          "reference: one Job at a time %.2f s; bounded parallel is %.1fx faster%n",
          sequential.totalMs() / 1000, sequential.totalMs() / parallel.totalMs());
      System.out.printf(
          "heap after GC: %d MB of max %d MB (target <= 256 MB, ratio %.3f), includes the mock"
              + " API server holding %,d Jobs%n",
          heap, maxHeap, heap / 256.0, 2 * SAMPLED);
    } finally {
      server.destroy();
    }
    // The mock server's event loop threads are not daemons.
    System.exit(0);
  }

  private record Result(
      double intentMs, double planMs, double buildMs, double createMs, double steadyMs) {
    double totalMs() {
      return intentMs + planMs + buildMs + createMs + steadyMs;
    }
  }

  private static void warmUp(KubernetesClient client, int parallelism) throws Exception {
    round(client, "warm-up", parallelism);
    client.batch().v1().jobs().inNamespace(NS).delete();
  }

  private static Result round(KubernetesClient client, String name, int parallelism)
      throws Exception {
    Federation federation = federation(name);
    Map<String, ClientPoolSpec> pools = Map.of("pool", pool().getSpec());
    JobFactory factory =
        new JobFactory(
            TestOperatorConfig.jobs(32),
            TestOperatorConfig.images("flotilla-trainer:bench", "flotilla-aggregator:bench"));
    JobBatches batches = new JobBatches(parallelism);
    try {
      long t0 = System.nanoTime();
      Decision intent = RoundProtocol.decide(observe(federation, pools, List.of()));
      federation.setStatus(intent.status());
      long t1 = System.nanoTime();
      Decision plan = RoundProtocol.decide(observe(federation, pools, List.of()));
      federation.setStatus(plan.status());
      long t2 = System.nanoTime();
      List<Job> jobs = new ArrayList<>();
      Instant now = Instant.now();
      JobFactory.StorageTarget storage =
          new JobFactory.StorageTarget("http://minio:9000", federation.getSpec().getStorage());
      for (Action.CreateTrainer trainer : plan.actionsOf(Action.CreateTrainer.class)) {
        jobs.add(factory.trainer(federation, trainer, pools.get("pool"), storage, now));
      }
      long t3 = System.nanoTime();
      JobBatches.Outcome outcome =
          batches.createAll(jobs, job -> client.batch().v1().jobs().resource(job).create());
      long t4 = System.nanoTime();
      if (outcome.created() != SAMPLED) {
        throw new IllegalStateException("created " + outcome.created() + " Jobs: " + outcome);
      }
      List<Workload> observed =
          client
              .batch()
              .v1()
              .jobs()
              .inNamespace(NS)
              .withLabel("flotilla.dev/federation", name)
              .list()
              .getItems()
              .stream()
              .map(JobObserver::observe)
              .flatMap(Optional::stream)
              .toList();
      long t5 = System.nanoTime();
      Decision steady = RoundProtocol.decide(observe(federation, pools, observed));
      long t6 = System.nanoTime();
      if (!steady.actionsOf(Action.CreateTrainer.class).isEmpty()) {
        throw new IllegalStateException("steady state wants more trainers");
      }
      return new Result(ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t3, t4), ms(t4, t6));
    } finally {
      batches.close();
    }
  }

  private static Observation observe(
      Federation federation, Map<String, ClientPoolSpec> pools, List<Workload> workloads) {
    FederationStatus status = federation.getStatus();
    return new Observation(
        federation.getMetadata().getName(),
        1,
        federation.getSpec(),
        status,
        pools,
        workloads,
        Optional.empty(),
        Instant.now());
  }

  private static double ms(long from, long to) {
    return (to - from) / 1e6;
  }

  private static ClientPool pool() {
    return Serialization.unmarshal(
        """
        apiVersion: flotilla.dev/v1alpha1
        kind: ClientPool
        metadata: {name: pool, namespace: bench}
        spec:
          rank: 8
          clients: {count: %d, dataUriTemplate: "s3://data/client-{index}.jsonl"}
          resources: {limits: {nvidia.com/gpu: "1", memory: 16Gi}, requests: {cpu: "4"}}
          nodeSelector: {accelerator: a100}
        """
            .formatted(CLIENTS),
        ClientPool.class);
  }

  private static Federation federation(String name) {
    Federation federation =
        Serialization.unmarshal(
            """
            apiVersion: flotilla.dev/v1alpha1
            kind: Federation
            metadata: {name: %s, namespace: bench, uid: 00000000-0000-0000-0000-000000000001}
            spec:
              baseModel: {uri: "s3://models/llama", architecture: LLAMA}
              task: {type: CAUSAL_LM}
              rounds: 10
              sampling: {clientsPerRound: %d, minClients: 800}
              storage: {endpoint: "http://minio:9000", bucket: flotilla, secretRef: {name: s3}}
              clientPools: {names: [pool]}
            """
                .formatted(name, SAMPLED),
            Federation.class);
    federation.getMetadata().setGeneration(1L);
    return federation;
  }
}
