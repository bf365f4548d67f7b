package dev.flotilla.core.workload;

import dev.flotilla.core.protocol.WorkloadState;

/**
 * How a workload retries inside one round attempt, the same on a cluster and locally: a retriable
 * exit ({@link ExitCode#retriable}) runs the program again up to {@code backoffLimit} times; a
 * disruption (eviction, preemption, a vanished process) runs it again without counting; any other
 * failure fails the workload at once. On Kubernetes this is the Job's {@code backoffLimit} and pod
 * failure policy (rendered from {@link ExitCode#retriableCodes}); the local runtime applies it to
 * its processes through {@link WorkloadRun}.
 *
 * @param backoffLimit counted retries of one workload
 */
public record RetryPolicy(int backoffLimit) {

  /** The backoff limit of the chart's default values and of the local runtime. */
  public static final int DEFAULT_BACKOFF_LIMIT = 1;

  /** What follows one run of a workload. */
  public enum Verdict {
    /** The program succeeded. */
    SUCCEED(WorkloadState.SUCCEEDED),
    /** Run it again; the run does not count against the backoff limit. */
    RETRY_UNCOUNTED(WorkloadState.PENDING),
    /** Run it again; the failure counts. */
    RETRY(WorkloadState.PENDING),
    /** The workload failed; a new round attempt may run it again. */
    FAIL_RETRIABLE(WorkloadState.FAILED),
    /** The workload failed for good: its input is bad or the program gave up. */
    FAIL(WorkloadState.FAILED);

    private final WorkloadState state;

    Verdict(WorkloadState state) {
      this.state = state;
    }

    /** The workload's state after this verdict. */
    public WorkloadState state() {
      return state;
    }
  }

  /** Checks the limit. */
  public RetryPolicy {
    if (backoffLimit < 0) {
      throw new IllegalArgumentException("backoffLimit must be >= 0, got " + backoffLimit);
    }
  }

  /**
   * The verdict on a run that ended with {@code exitCode} (null: disrupted before it could exit),
   * after {@code countedFailures} earlier counted failures of the same workload.
   */
  public Verdict afterExit(Integer exitCode, int countedFailures) {
    if (exitCode == null) {
      return Verdict.RETRY_UNCOUNTED;
    }
    if (exitCode == ExitCode.OK.code()) {
      return Verdict.SUCCEED;
    }
    if (!ExitCode.retriable(exitCode)) {
      return Verdict.FAIL;
    }
    return countedFailures < backoffLimit ? Verdict.RETRY : Verdict.FAIL_RETRIABLE;
  }
}
