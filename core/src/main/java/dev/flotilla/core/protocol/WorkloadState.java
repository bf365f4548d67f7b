package dev.flotilla.core.protocol;

/** Observed state of a workload. */
public enum WorkloadState {
  /** Created, not yet running (unscheduled, pulling images). */
  PENDING,
  /** Running. */
  RUNNING,
  /** Exited successfully; for a trainer, its upload is complete. */
  SUCCEEDED,
  /** Failed for good (its own retries, such as a Job's backoffLimit, are exhausted). */
  FAILED;

  /** Whether the workload has not finished yet. */
  public boolean isActive() {
    return this == PENDING || this == RUNNING;
  }
}
