package dev.flotilla.local.run;

import dev.flotilla.core.protocol.Workload;
import dev.flotilla.core.protocol.WorkloadKind;
import dev.flotilla.core.protocol.WorkloadState;
import dev.flotilla.core.workload.RetryPolicy;
import dev.flotilla.core.workload.WorkloadRun;

/**
 * A local workload as persisted in {@code workloads.json}: what the protocol created and how its
 * processes ended — the local counterpart of a Kubernetes Job.
 *
 * @param name workload name
 * @param kind trainer or aggregator
 * @param round round number
 * @param attempt round attempt
 * @param clientId trained client; null for the aggregator
 * @param state PENDING (queued, also while a retry waits), RUNNING, SUCCEEDED or FAILED
 * @param exitCode the last process's exit code; null before any exit
 * @param pid the process id while running; null otherwise
 * @param retries failures counted against the retry policy's backoff limit
 */
public record WorkloadRecord(
    String name,
    WorkloadKind kind,
    int round,
    int attempt,
    String clientId,
    WorkloadState state,
    Integer exitCode,
    Long pid,
    int retries) {

  /** A queued workload. */
  static WorkloadRecord pending(
      String name, WorkloadKind kind, int round, int attempt, String clientId) {
    return new WorkloadRecord(
        name, kind, round, attempt, clientId, WorkloadState.PENDING, null, null, 0);
  }

  /** The protocol's view (the same rules as a Job's, see {@link WorkloadRun}). */
  public Workload toWorkload() {
    return run().observed(name, kind, round, attempt, clientId);
  }

  /** This record with its process running as {@code newPid}. */
  WorkloadRecord started(long newPid) {
    return with(run().started(), newPid);
  }

  /** This record after its process exited with {@code code}; PENDING when it runs again. */
  WorkloadRecord exited(int code, RetryPolicy policy) {
    return with(run().afterExit(code, policy), null);
  }

  private WorkloadRun run() {
    return new WorkloadRun(state, exitCode, retries);
  }

  private WorkloadRecord with(WorkloadRun run, Long newPid) {
    return new WorkloadRecord(
        name,
        kind,
        round,
        attempt,
        clientId,
        run.state(),
        run.exitCode(),
        newPid,
        run.countedFailures());
  }
}
