package dev.flotilla.operator.reconciler;

import dev.flotilla.core.spec.ConditionStatus;
import dev.flotilla.core.spec.FederationConditions;
import dev.flotilla.core.spec.FederationPhase;
import dev.flotilla.core.spec.FederationStatus;
import dev.flotilla.core.storage.StorageJson;
import java.time.Instant;

/**
 * The status of a Federation the operator cannot act on (unreadable storage Secret, unreachable
 * bucket…): Ready=False and Degraded=True with the reason, phase kept (Pending when it had none).
 */
final class BlockedStatus {

  private BlockedStatus() {}

  /** {@code current} (may be null) edited to report {@code problem}. */
  static FederationStatus of(
      FederationStatus current, long generation, InvalidSpecException problem, Instant now) {
    FederationStatus status =
        current == null
            ? new FederationStatus()
            : StorageJson.mapper().convertValue(current, FederationStatus.class);
    if (status.getPhase() == null) {
      status.setPhase(FederationPhase.Pending);
    }
    status.setObservedGeneration(generation);
    status.setConditions(
        FederationConditions.edit(status.getConditions(), generation, now)
            .set(
                FederationConditions.READY,
                ConditionStatus.False,
                problem.reason(),
                problem.getMessage())
            .set(
                FederationConditions.DEGRADED,
                ConditionStatus.True,
                problem.reason(),
                problem.getMessage())
            .toList());
    return status;
  }
}
