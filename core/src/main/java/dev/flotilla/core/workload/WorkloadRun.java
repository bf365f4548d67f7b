package dev.flotilla.core.workload;

import dev.flotilla.core.protocol.Workload;
import dev.flotilla.core.protocol.WorkloadKind;
import dev.flotilla.core.protocol.WorkloadState;

/**
 * The state of a workload run as processes (the local runtime's counterpart of a Job's status):
 * each process exit goes through the {@link RetryPolicy}, which restarts it or ends the workload.
 *
 * @param state pending (also while a retry waits), running, succeeded or failed
 * @param exitCode the last process's exit code; null before any exit
 * @param countedFailures failures counted against the backoff limit
 */
public record WorkloadRun(WorkloadState state, Integer exitCode, int countedFailures) {

  /** A run not started yet. */
  public static WorkloadRun pending() {
    return new WorkloadRun(WorkloadState.PENDING, null, 0);
  }

  /** This run with its process started. */
  public WorkloadRun started() {
    return new WorkloadRun(WorkloadState.RUNNING, exitCode, countedFailures);
  }

  /**
   * This run after its process ended with {@code code} (null: the process vanished, disrupted);
   * {@link #state} is PENDING when the policy runs it again.
   */
  public WorkloadRun afterExit(Integer code, RetryPolicy policy) {
    RetryPolicy.Verdict verdict = policy.afterExit(code, countedFailures);
    int counted = countedFailures + (verdict == RetryPolicy.Verdict.RETRY ? 1 : 0);
    return new WorkloadRun(verdict.state(), code, counted);
  }

  /** The protocol's view of this run. */
  public Workload observed(String name, WorkloadKind kind, int round, int attempt, String client) {
    boolean failed = state == WorkloadState.FAILED;
    String reason = !failed ? null : exitCode == null ? "ProcessLost" : ExitCode.reason(exitCode);
    boolean retriable = failed && (exitCode == null || ExitCode.retriable(exitCode));
    return new Workload(name, kind, round, attempt, client, state, reason, retriable);
  }
}
