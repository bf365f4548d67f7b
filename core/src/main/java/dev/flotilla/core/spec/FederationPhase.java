package dev.flotilla.core.spec;

/** Lifecycle phase of a Federation, as shown in its status. */
public enum FederationPhase {
  /** Accepted, no round started yet (or waiting for clients). */
  Pending,
  /** Trainers of the current round are running. */
  Training,
  /** The aggregator of the current round is running. */
  Aggregating,
  /** The last round is committed; the global adapter is final. */
  Completed,
  /** Too many failed rounds, or an invalid spec; nothing more is started. */
  Failed,
  /** {@code spec.suspend} is true; no new workloads are started. */
  Suspended;

  /** Whether no further work will ever happen in this phase. */
  public boolean isTerminal() {
    return this == Completed || this == Failed;
  }
}
