package dev.flotilla.operator.reconciler;

import dev.flotilla.core.spec.FederationPhase;
import dev.flotilla.core.spec.FederationStatus;
import dev.flotilla.core.spec.RoundSummary;
import java.util.Optional;

/**
 * One entry into a phase, as recorded in status: the phase, the current round and, while a round
 * runs, its attempt and start time. Every transition the protocol makes (a new phase, the next
 * round, a new attempt, a resume) changes it, and nothing else does, so it identifies the event
 * that reports the transition.
 *
 * @param phase the phase entered
 * @param round the current round, or null
 * @param attempt the round's attempt, or null when no round runs
 * @param startedAt when the round's attempt (or its current phase) started, or null
 */
record PhaseEntry(FederationPhase phase, Integer round, Integer attempt, String startedAt) {

  /** The phase entry of {@code status}; empty without a phase. */
  static Optional<PhaseEntry> of(FederationStatus status) {
    if (status == null || status.getPhase() == null) {
      return Optional.empty();
    }
    RoundSummary r = status.getRound();
    return Optional.of(
        new PhaseEntry(
            status.getPhase(),
            status.getCurrentRound(),
            r == null ? null : r.getAttempt(),
            r == null ? null : r.getStartedAt()));
  }

  /** The key of the entry's event. */
  String key() {
    return "PhaseChanged/" + phase + "/r" + round + "/a" + attempt + "/" + startedAt;
  }

  /** Human-readable form, e.g. {@code Training (round 2, attempt 2)}. */
  String describe() {
    if (round == null) {
      return phase.toString();
    }
    return phase
        + " (round "
        + round
        + (attempt != null && attempt > 1 ? ", attempt " + attempt : "")
        + ")";
  }
}
