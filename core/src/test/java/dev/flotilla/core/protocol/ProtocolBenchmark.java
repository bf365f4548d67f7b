package dev.flotilla.core.protocol;

import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.FederationPhase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Benchmark (not a unit test): cost of one protocol decision for a federation of 10,000 clients
 * sampling 1,000 per round with 1,000 running trainers, and the partial Fisher-Yates sampler
 * against a full {@link Collections#shuffle} of the same list as the reference.
 *
 * <p>Run: {@code mvn -pl core test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.flotilla.core.protocol.ProtocolBenchmark}
 */
public final class ProtocolBenchmark {

  private ProtocolBenchmark() {}

  /** Prints the figures. */
  public static void main(String[] args) {
    Situation s = Situation.of();
    s.spec.getSampling().setClientsPerRound(1000);
    s.spec.getSampling().setMinClients(900);
    s.spec.getClientPools().setNames(List.of("edge"));
    Map<String, ClientPoolSpec> pools =
        Map.of("edge", ClientDirectoryTest.generated(10_000, 4, "edge-"));
    s.pools = pools;
    s.in(FederationPhase.Training, 7, 1);
    List<ClientRef> clients = s.clients();
    for (ClientRef c : ClientSampler.sample(clients, 11, 7, 1000)) {
      s.workloads.add(
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
    Observation o = s.observation();
    double decide = time(() -> RoundProtocol.decide(o), 200);
    double partial = time(() -> ClientSampler.sample(clients, 11, 7, 1000), 2000);
    Random random = new Random(11);
    double full =
        time(
            () -> {
              List<ClientRef> copy = new ArrayList<>(clients);
              Collections.shuffle(copy, random);
              List<ClientRef> sample = new ArrayList<>(copy.subList(0, 1000));
              sample.sort(java.util.Comparator.comparing(ClientRef::id));
            },
            2000);
    System.out.printf("decide (10,000 clients, 1,000 running): %.3f ms%n", decide);
    System.out.printf("sample 1,000 of 10,000, partial Fisher-Yates: %.3f ms%n", partial);
    System.out.printf("sample 1,000 of 10,000, full shuffle + sort (reference): %.3f ms%n", full);
    System.out.printf("sampler speed-up vs reference: %.2fx%n", full / partial);
  }

  private static double time(Runnable task, int reps) {
    for (int i = 0; i < reps; i++) {
      task.run();
    }
    long start = System.nanoTime();
    for (int i = 0; i < reps; i++) {
      task.run();
    }
    return (System.nanoTime() - start) / 1e6 / reps;
  }
}
