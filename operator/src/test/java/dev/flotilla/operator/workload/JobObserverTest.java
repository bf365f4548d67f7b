package dev.flotilla.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.protocol.Workload;
import dev.flotilla.core.protocol.WorkloadKind;
import dev.flotilla.core.protocol.WorkloadState;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobObserverTest {

  @Test
  void readsKindRoundAttemptAndClientFromLabels() {
    Workload w = JobObserver.observe(trainer(null)).orElseThrow();
    assertThat(w.kind()).isEqualTo(WorkloadKind.TRAINER);
    assertThat(w.round()).isEqualTo(3);
    assertThat(w.attempt()).isEqualTo(2);
    assertThat(w.clientId()).isEqualTo("client-7");
    assertThat(w.state()).isEqualTo(WorkloadState.PENDING);
  }

  @Test
  void mapsJobConditionsToStates() {
    assertThat(state(new JobStatusBuilder().withActive(1).withReady(1).build()))
        .isEqualTo(WorkloadState.RUNNING);
    assertThat(state(new JobStatusBuilder().withActive(1).withReady(0).build()))
        .isEqualTo(WorkloadState.PENDING);
    assertThat(state(terminal("Complete", null))).isEqualTo(WorkloadState.SUCCEEDED);
    assertThat(state(terminal("Failed", "BackoffLimitExceeded"))).isEqualTo(WorkloadState.FAILED);
  }

  @Test
  void badInputIsNotRetriableButExhaustedRetriesAre() {
    Workload badInput =
        JobObserver.observe(trainer(terminal("Failed", JobObserver.POD_FAILURE_POLICY)))
            .orElseThrow();
    assertThat(badInput.retriable()).isFalse();
    assertThat(badInput.failureReason()).isEqualTo("PodFailurePolicy");
    Workload transientFailure =
        JobObserver.observe(trainer(terminal("Failed", "BackoffLimitExceeded"))).orElseThrow();
    assertThat(transientFailure.retriable()).isTrue();
  }

  @Test
  void ignoresJobsWithoutFlotillaLabels() {
    Job job = trainer(null);
    job.getMetadata().getLabels().remove(WorkloadLabels.ROUND);
    assertThat(JobObserver.observe(job)).isEmpty();
    job.getMetadata().setLabels(null);
    assertThat(JobObserver.observe(job)).isEmpty();
  }

  private static WorkloadState state(JobStatus status) {
    return JobObserver.observe(trainer(status)).orElseThrow().state();
  }

  private static JobStatus terminal(String type, String reason) {
    return new JobStatusBuilder()
        .withConditions(
            new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).build())
        .build();
  }

  private static Job trainer(JobStatus status) {
    Map<String, String> labels =
        new HashMap<>(WorkloadLabels.common("ns", "fed", 3, WorkloadLabels.TRAINER));
    labels.put(WorkloadLabels.ATTEMPT, "2");
    labels.put(WorkloadLabels.CLIENT, "client-7");
    return new JobBuilder()
        .withNewMetadata()
        .withName("fed-r3-client-7-a2")
        .withLabels(labels)
        .endMetadata()
        .withStatus(status)
        .build();
  }
}
