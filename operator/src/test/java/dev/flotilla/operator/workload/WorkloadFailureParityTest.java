package dev.flotilla.operator.workload;

import static dev.flotilla.operator.workload.JobControllerSimulation.PodEnd.disruption;
import static dev.flotilla.operator.workload.JobControllerSimulation.PodEnd.exit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.protocol.Action.CreateTrainer;
import dev.flotilla.core.protocol.ClientRef;
import dev.flotilla.core.protocol.Workload;
import dev.flotilla.core.protocol.WorkloadKind;
import dev.flotilla.core.protocol.WorkloadState;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.workload.RetryPolicy;
import dev.flotilla.core.workload.WorkloadRun;
import dev.flotilla.operator.api.v1alpha1.Federation;
import dev.flotilla.operator.workload.JobControllerSimulation.PodEnd;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same trainer failure ends the same way on a cluster and in the local runtime: the operator's
 * real Job (its backoff limit and pod failure policy, run by a simulation of the Job controller and
 * read back by {@link JobObserver}) and the local runtime's process runs ({@link WorkloadRun} under
 * the same {@link RetryPolicy}) give the protocol the same workload state and retriability.
 */
class WorkloadFailureParityTest {
  private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
  private static final int BACKOFF_LIMIT = 1;

  static Stream<Arguments> failures() {
    return Stream.of(
        row("exit 1 (unexpected failure)", List.of(exit(1), exit(0)), WorkloadState.FAILED, false),
        row("exit 2 (bad input)", List.of(exit(2), exit(0)), WorkloadState.FAILED, false),
        row("exit 3 once (transient)", List.of(exit(3), exit(0)), WorkloadState.SUCCEEDED, false),
        row("exit 3 every time", List.of(exit(3), exit(3)), WorkloadState.FAILED, true),
        row("OOM kill once", List.of(exit(137), exit(0)), WorkloadState.SUCCEEDED, false),
        row("OOM kill every time", List.of(exit(137), exit(137)), WorkloadState.FAILED, true),
        row(
            "eviction, then success",
            List.of(disruption(), exit(0)),
            WorkloadState.SUCCEEDED,
            false),
        row(
            "evictions do not count",
            List.of(disruption(), disruption(), exit(3), exit(0)),
            WorkloadState.SUCCEEDED,
            false),
        row(
            "eviction, then bad input",
            List.of(disruption(), exit(2)),
            WorkloadState.FAILED,
            false));
  }

  private static Arguments row(
      String name, List<PodEnd> pods, WorkloadState state, boolean retriable) {
    return Arguments.of(name, pods, state, retriable);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void sameOutcomeOnTheOperatorAndLocally(
      String name, List<PodEnd> pods, WorkloadState state, boolean retriable) {
    Workload cluster = onCluster(pods);
    Workload local = locally(pods);

    assertThat(cluster.state()).as("cluster").isEqualTo(state);
    assertThat(local.state()).as("local").isEqualTo(state);
    assertThat(cluster.retriable()).as("cluster retriable").isEqualTo(retriable);
    assertThat(local.retriable()).as("local retriable").isEqualTo(retriable);
  }

  private static Workload onCluster(List<PodEnd> pods) {
    Federation federation =
        Serialization.unmarshal(
            """
            apiVersion: flotilla.dev/v1alpha1
            kind: Federation
            metadata: {name: demo, namespace: team-a, uid: 4f1c2d3e-0000-4000-8000-000000000001}
            spec:
              baseModel: {uri: "s3://models/all-minilm-l6-v2"}
              task: {type: SEQUENCE_CLASSIFICATION, numLabels: 2}
              rounds: 2
              roundTimeout: 30m
              storage: {endpoint: "http://minio:9000", bucket: flotilla}
              clientPools: {names: [pool]}
            """,
            Federation.class);
    JobFactory factory =
        new JobFactory(
            TestOperatorConfig.jobs(4), TestOperatorConfig.images("trainer:t", "aggregator:t"));
    CreateTrainer action =
        new CreateTrainer(
            "demo-r1-c0",
            1,
            1,
            0,
            new ClientRef("c0", "pool", 8, "s3://data/c0.jsonl"),
            null,
            NOW.plus(Duration.ofMinutes(30)));
    Job job =
        factory.trainer(
            federation,
            action,
            new ClientPoolSpec(),
            new JobFactory.StorageTarget("http://minio:9000", federation.getSpec().getStorage()),
            NOW);
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(BACKOFF_LIMIT);
    return JobObserver.observe(JobControllerSimulation.run(job, pods)).orElseThrow();
  }

  /** What the local runtime does: run the process again while the retry policy says so. */
  private static Workload locally(List<PodEnd> pods) {
    RetryPolicy policy = new RetryPolicy(RetryPolicy.DEFAULT_BACKOFF_LIMIT);
    WorkloadRun run = WorkloadRun.pending();
    for (PodEnd pod : pods) {
      run = run.started().afterExit(pod.disrupted() ? null : pod.exitCode(), policy);
      if (run.state() != WorkloadState.PENDING) {
        return run.observed("demo-r1-c0", WorkloadKind.TRAINER, 1, 1, "c0");
      }
    }
    throw new IllegalArgumentException("the script ends before the workload does: " + pods);
  }
}
