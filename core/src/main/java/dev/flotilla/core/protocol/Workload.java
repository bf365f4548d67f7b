package dev.flotilla.core.protocol;

import java.util.Objects;

/**
 * A workload as observed by the caller (from a Job's labels and conditions, or a local process).
 *
 * @param name its deterministic name ({@link WorkloadNames})
 * @param kind trainer or aggregator
 * @param round the round it belongs to
 * @param attempt the round attempt that created it
 * @param clientId the trained client; null for an aggregator
 * @param state its state
 * @param failureReason why it failed (e.g. {@code BackoffLimitExceeded}, {@code InvalidData}); null
 *     unless FAILED
 * @param retriable for a FAILED workload: whether running it again may succeed (infrastructure
 *     failures such as eviction or preemption); false for failures of the input itself
 */
public record Workload(
    String name,
    WorkloadKind kind,
    int round,
    int attempt,
    String clientId,
    WorkloadState state,
    String failureReason,
    boolean retriable) {

  /** Checks the fields. */
  public Workload {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind of " + name);
    Objects.requireNonNull(state, "state of " + name);
    if (kind == WorkloadKind.TRAINER) {
      Objects.requireNonNull(clientId, "clientId of trainer " + name);
    }
  }
}
