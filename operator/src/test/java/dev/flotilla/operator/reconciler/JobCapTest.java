package dev.flotilla.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.protocol.Action;
import dev.flotilla.core.protocol.ClientRef;
import dev.flotilla.core.protocol.Decision;
import dev.flotilla.core.protocol.Workload;
import dev.flotilla.core.protocol.WorkloadKind;
import dev.flotilla.core.protocol.WorkloadState;
import dev.flotilla.core.spec.Condition;
import dev.flotilla.core.spec.ConditionStatus;
import dev.flotilla.core.spec.FederationStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobCapTest {

  private static final Instant NOW = Instant.parse("2026-12-08T00:00:00Z");

  private static Decision creating(int trainers) {
    List<Action> actions = new ArrayList<>();
    for (int i = 0; i < trainers; i++) {
      ClientRef client = new ClientRef("c" + i, "pool", 4, "s3://d/c" + i);
      actions.add(new Action.CreateTrainer("fed-r1-c" + i, 1, 1, 0, client, null, NOW));
    }
    return new Decision(new FederationStatus(), actions, Optional.empty());
  }

  private static List<Workload> running(int n) {
    List<Workload> workloads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      workloads.add(
          new Workload(
              "fed-r1-r" + i,
              WorkloadKind.TRAINER,
              1,
              1,
              "r" + i,
              WorkloadState.RUNNING,
              null,
              false));
    }
    return workloads;
  }

  @Test
  void aMillionSampledClientsCreateAtMostTheCap() {
    Decision capped = JobCap.apply(creating(1_000_000), running(6), 256, 1, NOW);

    assertThat(capped.actionsOf(Action.CreateTrainer.class)).hasSize(250);
    Condition condition = capped.status().getConditions().get(0);
    assertThat(condition.getType()).isEqualTo(JobCap.CONDITION);
    assertThat(condition.getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(condition.getMessage())
        .contains("999750 sampled clients wait")
        .contains("256")
        .contains("flotilla.limits.max-jobs-per-federation");
  }

  @Test
  void withinTheCapTheDecisionIsUnchangedAndAnEarlierCapIsWithdrawn() {
    Decision small = creating(3);
    assertThat(JobCap.apply(small, running(2), 256, 1, NOW)).isSameAs(small);

    Decision capped = JobCap.apply(creating(10), running(0), 4, 1, NOW);
    Decision next = creating(2);
    next.status().setConditions(capped.status().getConditions());
    Decision released = JobCap.apply(next, running(4), 8, 2, NOW);
    assertThat(released.actionsOf(Action.CreateTrainer.class)).hasSize(2);
    assertThat(released.status().getConditions().get(0).getStatus())
        .isEqualTo(ConditionStatus.False);
  }
}
