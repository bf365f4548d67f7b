package dev.flotilla.operator.reconciler;

import dev.flotilla.core.protocol.Action;
import dev.flotilla.core.protocol.Decision;
import dev.flotilla.core.protocol.Workload;
import dev.flotilla.core.protocol.WorkloadKind;
import dev.flotilla.core.spec.Condition;
import dev.flotilla.core.spec.ConditionStatus;
import dev.flotilla.core.spec.FederationConditions;
import dev.flotilla.core.spec.FederationStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Caps the trainer Jobs of one Federation that are active at once ({@code
 * flotilla.limits.max-jobs-per-federation}): a decision that would exceed the cap creates only the
 * trainers that fit, and the others are created by later decisions as running ones finish (the
 * protocol asks again for every sampled client without a trainer). While the cap binds, the
 * JobsCapped condition says how many clients wait; it turns False once all fit again.
 */
final class JobCap {

  /** Condition type reported while the cap binds. */
  static final String CONDITION = "JobsCapped";

  private JobCap() {}

  /** {@code decision} with at most {@code cap} active trainers, and the JobsCapped condition. */
  static Decision apply(
      Decision decision, List<Workload> workloads, int cap, long generation, Instant now) {
    long active =
        workloads.stream()
            .filter(w -> w.kind() == WorkloadKind.TRAINER && w.state().isActive())
            .count();
    long free = Math.max(0, cap - active);
    List<Action> kept = new ArrayList<>(decision.actions().size());
    int waiting = 0;
    for (Action action : decision.actions()) {
      if (action instanceof Action.CreateTrainer) {
        if (free == 0) {
          waiting++;
          continue;
        }
        free--;
      }
      kept.add(action);
    }
    FederationStatus status = decision.status();
    FederationConditions conditions =
        FederationConditions.edit(status.getConditions(), generation, now);
    Condition before = conditions.find(CONDITION);
    if (waiting > 0) {
      conditions.set(
          CONDITION,
          ConditionStatus.True,
          "JobCapReached",
          waiting
              + " sampled clients wait for a slot: the operator runs at most "
              + cap
              + " trainer Jobs of a Federation at once (flotilla.limits.max-jobs-per-federation)");
    } else if (before != null && before.getStatus() == ConditionStatus.True) {
      conditions.set(CONDITION, ConditionStatus.False, "WithinJobCap", "every trainer fits");
    } else {
      return decision;
    }
    status.setConditions(conditions.toList());
    return new Decision(status, kept, decision.requeueAfter());
  }
}
