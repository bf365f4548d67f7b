package dev.flotilla.operator.workload;

import dev.flotilla.core.protocol.Workload;
import dev.flotilla.core.protocol.WorkloadKind;
import dev.flotilla.core.protocol.WorkloadState;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a Flotilla Job as a protocol {@link Workload}: kind, round, attempt and client from its
 * labels, state from its status conditions.
 */
public final class JobObserver {

  /** Job failure reason set when the pod failure policy failed the Job on bad input. */
  public static final String POD_FAILURE_POLICY = "PodFailurePolicy";

  private JobObserver() {}

  /** The workload a Job stands for; empty when the Job does not carry Flotilla's labels. */
  public static Optional<Workload> observe(Job job) {
    Map<String, String> labels = job.getMetadata().getLabels();
    if (labels == null) {
      return Optional.empty();
    }
    WorkloadKind kind =
        switch (labels.getOrDefault(WorkloadLabels.COMPONENT, "")) {
          case WorkloadLabels.TRAINER -> WorkloadKind.TRAINER;
          case WorkloadLabels.AGGREGATOR -> WorkloadKind.AGGREGATOR;
          default -> null;
        };
    Integer round = parse(labels.get(WorkloadLabels.ROUND));
    Integer attempt = parse(labels.get(WorkloadLabels.ATTEMPT));
    String client = labels.get(WorkloadLabels.CLIENT);
    if (kind == null
        || round == null
        || attempt == null
        || (kind == WorkloadKind.TRAINER && client == null)) {
      return Optional.empty();
    }
    JobStatus status = job.getStatus();
    Optional<JobCondition> failed = condition(status, "Failed");
    WorkloadState state;
    String reason = null;
    boolean retriable = false;
    if (condition(status, "Complete").isPresent()) {
      state = WorkloadState.SUCCEEDED;
    } else if (failed.isPresent()) {
      state = WorkloadState.FAILED;
      reason = failed.get().getReason() == null ? "Failed" : failed.get().getReason();
      // Bad input (exit code 2, via the pod failure policy) fails again on retry; the rest
      // (backoff limit after transient errors, deadline) may succeed in a new attempt.
      retriable = !POD_FAILURE_POLICY.equals(reason);
    } else if (status != null
        && status.getActive() != null
        && status.getActive() > 0
        && (status.getReady() == null || status.getReady() > 0)) {
      state = WorkloadState.RUNNING;
    } else {
      state = WorkloadState.PENDING;
    }
    return Optional.of(
        new Workload(
            job.getMetadata().getName(),
            kind,
            round,
            attempt,
            kind == WorkloadKind.TRAINER ? client : null,
            state,
            reason,
            retriable));
  }

  private static Optional<JobCondition> condition(JobStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }

  private static Integer parse(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
