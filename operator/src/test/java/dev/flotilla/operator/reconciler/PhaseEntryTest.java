package dev.flotilla.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.spec.FederationPhase;
import dev.flotilla.core.spec.FederationStatus;
import dev.flotilla.core.spec.RoundSummary;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PhaseEntryTest {

  @Test
  void everyTransitionChangesTheEntryAndProgressDoesNot() {
    FederationStatus training = status(FederationPhase.Training, 2, 1, "t0");
    PhaseEntry entry = PhaseEntry.of(training).orElseThrow();
    assertThat(entry.describe()).isEqualTo("Training (round 2)");

    FederationStatus progressed = status(FederationPhase.Training, 2, 1, "t0");
    progressed.getRound().setSucceeded(3);
    assertThat(PhaseEntry.of(progressed)).contains(entry);

    PhaseEntry retried = PhaseEntry.of(status(FederationPhase.Training, 2, 2, "t1")).orElseThrow();
    assertThat(retried.key()).isNotEqualTo(entry.key());
    assertThat(retried.describe()).isEqualTo("Training (round 2, attempt 2)");
    // Suspended and resumed: same phase, round and attempt, but a new start time.
    assertThat(PhaseEntry.of(status(FederationPhase.Training, 2, 1, "t2")).orElseThrow().key())
        .isNotEqualTo(entry.key());
    assertThat(PhaseEntry.of(status(FederationPhase.Aggregating, 2, 1, "t3")).orElseThrow().key())
        .isNotEqualTo(entry.key());

    FederationStatus completed = new FederationStatus();
    completed.setPhase(FederationPhase.Completed);
    completed.setCurrentRound(3);
    assertThat(PhaseEntry.of(completed).orElseThrow().describe()).isEqualTo("Completed (round 3)");
    assertThat(PhaseEntry.of(new FederationStatus())).isEmpty();
    assertThat(PhaseEntry.of(null)).isEmpty();
  }

  @Test
  void blockedRetriesDoubleFromOneSecondUpToThirty() {
    assertThat(FederationReconciler.blockedRetry(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(FederationReconciler.blockedRetry(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(FederationReconciler.blockedRetry(5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(FederationReconciler.blockedRetry(6)).isEqualTo(Duration.ofSeconds(30));
    assertThat(FederationReconciler.blockedRetry(1_000)).isEqualTo(Duration.ofSeconds(30));
  }

  private static FederationStatus status(
      FederationPhase phase, int round, int attempt, String startedAt) {
    FederationStatus status = new FederationStatus();
    status.setPhase(phase);
    status.setCurrentRound(round);
    RoundSummary r = new RoundSummary();
    r.setRound(round);
    r.setAttempt(attempt);
    r.setStartedAt(startedAt);
    status.setRound(r);
    return status;
  }
}
