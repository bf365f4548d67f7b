package dev.flotilla.local.run;

import dev.flotilla.core.protocol.Workload;
import dev.flotilla.core.protocol.WorkloadKind;
import dev.flotilla.core.protocol.WorkloadState;

/**
 * A local workload as persisted in {@code workloads.json}: what the protocol created and how its
 * process ended — the local counterpart of a Kubernetes Job.
 *
 * @param name workload name
 * @param kind trainer or aggregator
 * @param round round number
 * @param attempt round attempt
 * @param clientId trained client; null for the aggregator
 * @param state PENDING (queued), RUNNING, SUCCEEDED or FAILED
 * @param exitCode the process exit code once finished; null before
 * @param pid the process id while running; null otherwise
 */
public record WorkloadRecord(
    String name,
    WorkloadKind kind,
    int round,
    int attempt,
    String clientId,
    WorkloadState state,
    Integer exitCode,
    Long pid) {

  /** The protocol's view: exit code 3 (transient) and signals are retriable, others not. */
  public Workload toWorkload() {
    String reason = state == WorkloadState.FAILED ? ExitCodes.describe(exitCode) : null;
    boolean retriable = state == WorkloadState.FAILED && ExitCodes.isRetriable(exitCode);
    return new Workload(name, kind, round, attempt, clientId, state, reason, retriable);
  }

  /** This record in state {@code newState}. */
  WorkloadRecord with(WorkloadState newState, Integer newExitCode, Long newPid) {
    return new WorkloadRecord(name, kind, round, attempt, clientId, newState, newExitCode, newPid);
  }
}
