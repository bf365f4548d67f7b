package dev.flotilla.core.protocol;

/** What a workload (a Kubernetes Job, or a local process) does. */
public enum WorkloadKind {
  /** Trains one client's adapter for one round. */
  TRAINER,
  /** Merges a round's client adapters and commits the round. */
  AGGREGATOR
}
