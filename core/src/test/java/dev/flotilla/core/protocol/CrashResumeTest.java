package dev.flotilla.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.protocol.FederationWorld.Outcome;
import dev.flotilla.core.protocol.FederationWorld.Script;
import dev.flotilla.core.spec.FederationSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Restart safety: a run that crashes after any single operation (the status write, which comes
 * first as in every runtime, or any action), or loses its status, reaches the same end state as the
 * crash-free run, without a duplicate workload, a second aggregation of a round, a lost round, or
 * {@code lastCommittedRound} going back on the way.
 */
class CrashResumeTest {

  /** Round 1 has a straggler, round 2 fails its first attempt, round 3's first aggregator fails. */
  private static FederationWorld world() {
    FederationSpec spec = Fixtures.spec(3, 4, 3);
    spec.setRoundTimeout("5m");
    List<ClientRef> clients = ClientDirectory.resolve(Fixtures.pools(3));
    String straggler = ClientSampler.sample(clients, 11, 1, 4).get(0).id();
    Script script =
        new Script() {
          @Override
          public Outcome trainer(int round, int attempt, String clientId) {
            if (round == 1 && clientId.equals(straggler)) {
              return Outcome.HANG;
            }
            return round == 2 && attempt == 1 ? Outcome.FAIL_RETRIABLE : Outcome.SUCCEED;
          }

          @Override
          public Outcome aggregator(int round, int attempt) {
            return round == 3 && attempt == 1 ? Outcome.FAIL_RETRIABLE : Outcome.SUCCEED;
          }
        };
    return new FederationWorld(spec, Fixtures.pools(3), script);
  }

  /** Round 2 fails for good (non-retriable failures) and is skipped; rounds 1 and 3 commit. */
  private static FederationWorld worldWithFailedRound() {
    FederationSpec spec = Fixtures.spec(3, 4, 3);
    spec.getFailurePolicy().setMaxFailedRounds(2);
    Script script =
        (round, attempt, clientId) -> round == 2 ? Outcome.FAIL_PERMANENT : Outcome.SUCCEED;
    return new FederationWorld(spec, Fixtures.pools(3), script);
  }

  /**
   * Round 2's first aggregator hangs past its deadline: it is deleted, and the retry's aggregator
   * may start only once the old one is gone (the simulator keeps a deleted workload running for a
   * step, and fails the run if two aggregators are ever active at once).
   */
  private static FederationWorld worldWithHangingAggregator() {
    FederationSpec spec = Fixtures.spec(3, 4, 3);
    spec.setRoundTimeout("5m");
    Script script =
        new Script() {
          @Override
          public Outcome trainer(int round, int attempt, String clientId) {
            return Outcome.SUCCEED;
          }

          @Override
          public Outcome aggregator(int round, int attempt) {
            return round == 2 && attempt == 1 ? Outcome.HANG : Outcome.SUCCEED;
          }
        };
    return new FederationWorld(spec, Fixtures.pools(3), script);
  }

  @Test
  void aHangingAggregatorIsFencedBeforeItsRetryStarts() {
    FederationWorld reference = worldWithHangingAggregator().run();
    reference.checkTrajectory();
    FederationWorld.EndState expected = reference.endState(true);
    assertThat(expected.history().get(1)).startsWith("2:Committed:a2");

    List<Integer> diverged = new ArrayList<>();
    for (int crash = 1; crash <= reference.operations; crash++) {
      FederationWorld crashed = worldWithHangingAggregator().run(crash, 0);
      crashed.checkTrajectory();
      if (!crashed.endState(true).equals(expected)) {
        diverged.add(crash);
      }
    }
    assertThat(diverged).as("crash points with a different end state").isEmpty();
  }

  @Test
  void crashFreeRunExercisesRetriesAndCompletes() {
    FederationWorld world = world().run();
    world.checkTrajectory();
    FederationWorld.EndState end = world.endState(true);

    assertThat(end.phase()).isEqualTo("Completed");
    assertThat(end.lastCommittedRound()).isEqualTo(3);
    assertThat(end.globalAdapterUri()).isEqualTo("s3://flotilla/flotilla/fed/rounds/0003/global/");
    assertThat(end.history()).hasSize(3);
    assertThat(end.history().get(0)).isEqualTo("1:Committed:a1:3");
    assertThat(end.history().get(1)).startsWith("2:Committed:a2");
    assertThat(end.history().get(2)).startsWith("3:Committed:a2");
    assertThat(world.manifestWrites).containsOnlyKeys(1, 2, 3);
    assertThat(world.maxStatusBytes).isLessThan(64 * 1024);
  }

  @Test
  void crashAfterEveryOperationReachesTheSameEndState() {
    FederationWorld reference = world().run();
    FederationWorld.EndState expected = reference.endState(true);
    int total = reference.operations;
    assertThat(total).isGreaterThan(30);
    assertThat(statusSavedActionsLost(reference))
        .as("crash points between a status write and its decision's actions")
        .isGreaterThan(5);

    List<Integer> diverged = new ArrayList<>();
    for (int crash = 1; crash <= total; crash++) {
      FederationWorld crashed = world().run(crash, 0);
      crashed.checkTrajectory();
      if (!crashed.endState(true).equals(expected)) {
        diverged.add(crash);
      }
    }
    assertThat(diverged).as("crash points with a different end state").isEmpty();
  }

  @Test
  void crashAfterEveryOperationOfARunWithAFailedRound() {
    FederationWorld reference = worldWithFailedRound().run();
    FederationWorld.EndState expected = reference.endState(true);
    assertThat(expected.history())
        .containsExactly("1:Committed:a1:4", "2:Failed:a1:0", "3:Committed:a1:4");
    assertThat(expected.failedRounds()).isEqualTo(1);

    List<Integer> diverged = new ArrayList<>();
    for (int crash = 1; crash <= reference.operations; crash++) {
      FederationWorld crashed = worldWithFailedRound().run(crash, 0);
      crashed.checkTrajectory();
      if (!crashed.endState(true).equals(expected)) {
        diverged.add(crash);
      }
    }
    assertThat(diverged).as("crash points with a different end state").isEmpty();
  }

  @Test
  void statusLossAfterEveryOperationReachesTheSameCommittedRounds() {
    FederationWorld reference = world().run();
    FederationWorld.EndState expected = reference.endState(false);
    int total = reference.operations;

    List<Integer> diverged = new ArrayList<>();
    for (int wipe = 1; wipe <= total; wipe++) {
      FederationWorld wiped = world().run(0, wipe);
      if (!wiped.endState(false).equals(expected)) {
        diverged.add(wipe);
      }
    }
    assertThat(diverged).as("status-loss points with a different end state").isEmpty();
  }

  @Test
  void statusLossAfterEveryOperationNeverMovesAWatcherBackwards() {
    int total = world().run().operations;
    List<String> relapses = new ArrayList<>();
    for (int wipe = 1; wipe <= total; wipe++) {
      FederationWorld wiped = world().run(0, wipe);
      try {
        wiped.checkWatchedTrajectory();
      } catch (AssertionError e) {
        relapses.add("wipe after operation " + wipe + ": " + e.getMessage());
      }
    }
    FederationWorld completed = world().run();
    completed.status = null;
    completed.trajectory.add(null);
    completed.run();
    completed.checkWatchedTrajectory();
    assertThat(relapses).as("status-loss points a watcher saw go backwards").isEmpty();
  }

  /** Operations that are a status write followed by an action of the same decision. */
  private static long statusSavedActionsLost(FederationWorld world) {
    List<String> log = world.operationLog;
    long count = 0;
    for (int i = 0; i + 1 < log.size(); i++) {
      String[] op = log.get(i).split(":");
      String[] next = log.get(i + 1).split(":");
      if (op[1].equals("status") && next[0].equals(op[0])) {
        count++;
      }
    }
    return count;
  }
}
