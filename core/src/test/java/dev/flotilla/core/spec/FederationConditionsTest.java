package dev.flotilla.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FederationConditionsTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2026-01-01T01:00:00Z");

  @Test
  void transitionTimeIsKeptWhileTheStatusValueStaysTheSame() {
    List<Condition> first =
        FederationConditions.edit(null, 1L, T0).progressing("RoundStarted", "round 1").toList();
    List<Condition> second =
        FederationConditions.edit(first, 2L, T1).progressing("RoundStarted", "round 2").toList();

    Condition progressing = find(second, FederationConditions.PROGRESSING);
    assertThat(progressing.getLastTransitionTime()).isEqualTo(T0.toString());
    assertThat(progressing.getMessage()).isEqualTo("round 2");
    assertThat(progressing.getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void transitionTimeMovesWhenTheStatusFlips() {
    List<Condition> first =
        FederationConditions.edit(null, 1L, T0).progressing("RoundStarted", "round 1").toList();
    List<Condition> done =
        FederationConditions.edit(first, 1L, T1).completed("AllRoundsDone", "done").toList();

    assertThat(find(done, FederationConditions.READY).getLastTransitionTime())
        .isEqualTo(T1.toString());
    assertThat(find(done, FederationConditions.READY).getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(find(done, FederationConditions.DEGRADED).getLastTransitionTime())
        .isEqualTo(T0.toString());
    assertThat(done)
        .extracting(Condition::getType)
        .containsExactly("Ready", "Progressing", "Degraded");
  }

  @Test
  void editingNeverMutatesTheInputList() {
    List<Condition> first =
        FederationConditions.edit(null, 1L, T0).progressing("RoundStarted", "round 1").toList();
    FederationConditions.edit(first, 5L, T1).failed("TooManyFailedRounds", "x");

    assertThat(find(first, FederationConditions.READY).getObservedGeneration()).isEqualTo(1L);
  }

  private static Condition find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }
}
