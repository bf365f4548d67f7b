package dev.flotilla.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.spec.FederationPhase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Suspending a running federation starts nothing new; resuming reaches the normal end state. */
class SuspendResumeTest {

  private static FederationWorld world() {
    return new FederationWorld(
        Fixtures.spec(3, 4, 3),
        Fixtures.pools(3),
        (round, attempt, clientId) -> FederationWorld.Outcome.SUCCEED);
  }

  @Test
  void suspendedFederationCreatesNothingAndResumesToTheSameEnd() {
    FederationWorld.EndState expected = world().run().endState(true);
    FederationWorld world = world();
    while (world.status == null
        || world.status.getCurrentRound() == null
        || world.status.getCurrentRound() < 2
        || world.workloads.isEmpty()) {
      step(world);
    }

    world.spec.setSuspend(true);
    world.generation++;
    int created = world.creations.size();
    for (int i = 0; i < 20; i++) {
      step(world);
    }
    assertThat(world.status.getPhase()).isEqualTo(FederationPhase.Suspended);
    assertThat(world.creations).hasSize(created);
    assertThat(world.events).filteredOn(e -> e.reason().equals("Suspended")).hasSize(1);

    world.spec.setSuspend(false);
    world.generation++;
    world.run();

    assertThat(world.endState(true)).isEqualTo(expected);
    assertThat(world.events).filteredOn(e -> e.reason().equals("Resumed")).hasSize(1);
  }

  private static void step(FederationWorld world) {
    Decision d = world.decide();
    world.apply(d, 0);
    if (!d.requeueAfter().map(Duration::isZero).orElse(false)) {
      world.tick();
    }
  }
}
