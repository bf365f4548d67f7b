package dev.flotilla.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.FederationPhase;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.spec.FederationStatus;
import dev.flotilla.core.storage.StorageJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status stays far below the 64 KB budget whatever the number of clients and rounds. */
class StatusSizeTest {

  @Test
  void historyIsBoundedOverManyRounds() {
    FederationWorld world =
        new FederationWorld(
            Fixtures.spec(14, 4, 3),
            Fixtures.pools(3),
            (round, attempt, clientId) -> FederationWorld.Outcome.SUCCEED);

    world.run();

    FederationStatus status = world.status;
    assertThat(status.getLastCommittedRound()).isEqualTo(14);
    assertThat(status.getHistory()).hasSize(RoundTransitions.HISTORY_LIMIT);
    assertThat(status.getHistory().get(0).getRound()).isEqualTo(5);
    assertThat(world.maxStatusBytes).isLessThan(8 * 1024);
  }

  @Test
  void thousandRunningTrainersOfTenThousandClientsLeaveNoTraceInTheStatus() {
    Situation s = Situation.of();
    FederationSpec spec = s.spec;
    spec.getSampling().setClientsPerRound(1000);
    spec.getSampling().setMinClients(900);
    spec.getClientPools().setNames(List.of("edge"));
    Map<String, ClientPoolSpec> pools =
        Map.of("edge", ClientDirectoryTest.generated(10_000, 4, "edge-device-with-a-long-id-"));
    s.pools = pools;
    s.in(FederationPhase.Training, 7, 1);
    List<ClientRef> sample = ClientSampler.sample(s.clients(), 11, 7, 1000);
    List<Workload> running = new ArrayList<>();
    for (ClientRef c : sample) {
      running.add(
          new Workload(
              WorkloadNames.trainer(Fixtures.FED, 7, c.id(), 1),
              WorkloadKind.TRAINER,
              7,
              1,
              c.id(),
              WorkloadState.RUNNING,
              null,
              false));
    }
    s.workloads.addAll(running);

    Decision d = s.decide();

    assertThat(d.actions()).isEmpty();
    assertThat(d.status().getRound().getRunning()).isEqualTo(1000);
    assertThat(StorageJson.write(d.status()).length).isLessThan(4 * 1024);
  }
}
