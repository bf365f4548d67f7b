package dev.flotilla.core.protocol;

import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.FederationPhase;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.spec.FederationStatus;
import dev.flotilla.core.spec.RoundSummary;
import dev.flotilla.core.storage.RoundManifest;
import dev.flotilla.core.storage.StorageLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Builds one observation for table-driven protocol tests. */
final class Situation {

  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  final FederationSpec spec = Fixtures.spec(5, 4, 3);
  Map<String, ClientPoolSpec> pools = Fixtures.pools(3);
  FederationStatus status;
  final List<Workload> workloads = new ArrayList<>();
  RoundManifest manifest;
  Instant now = T0;
  long generation = 1;

  static Situation of() {
    return new Situation();
  }

  StorageLayout layout() {
    return new StorageLayout("flotilla", "flotilla", Fixtures.FED);
  }

  List<ClientRef> clients() {
    return ClientDirectory.resolve(pools);
  }

  /** The clients sampled in {@code round}. */
  List<ClientRef> sample(int round) {
    return ClientSampler.sample(clients(), spec.getSampling().getSeed(), round, 4);
  }

  Situation spec(Consumer<FederationSpec> edit) {
    edit.accept(spec);
    return this;
  }

  /** Status: {@code phase} in {@code round}, {@code attempt}, started at T0 (30 min deadline). */
  Situation in(FederationPhase phase, int round, int attempt) {
    status = new FederationStatus();
    status.setPhase(phase);
    status.setCurrentRound(round);
    status.setLastCommittedRound(round - 1);
    status.setFailedRounds(0);
    RoundSummary r = new RoundSummary();
    r.setRound(round);
    r.setAttempt(attempt);
    r.setBaseRound(round - 1);
    r.setSampled(4);
    r.setStartedAt(T0.toString());
    r.setDeadline(T0.plus(Duration.ofMinutes(30)).toString());
    status.setRound(r);
    if (round > 1) {
      status.setGlobalAdapterUri(layout().uri(layout().globalAdapterPrefix(round - 1)).toString());
    }
    return this;
  }

  Situation status(Consumer<FederationStatus> edit) {
    edit.accept(status);
    return this;
  }

  Situation at(Duration sinceT0) {
    now = T0.plus(sinceT0);
    return this;
  }

  /** Trainers of the first {@code count} sampled clients of {@code round}. */
  Situation trainers(
      int round, int attempt, int from, int count, WorkloadState state, boolean retriable) {
    List<ClientRef> sample = sample(round);
    for (int i = from; i < from + count; i++) {
      String id = sample.get(i).id();
      workloads.add(
          new Workload(
              WorkloadNames.trainer(Fixtures.FED, round, id, attempt),
              WorkloadKind.TRAINER,
              round,
              attempt,
              id,
              state,
              state == WorkloadState.FAILED ? (retriable ? "Evicted" : "InvalidData") : null,
              retriable));
    }
    return this;
  }

  Situation trainers(int round, int attempt, int count, WorkloadState state) {
    return trainers(round, attempt, 0, count, state, false);
  }

  Situation aggregator(int round, int attempt, WorkloadState state, boolean retriable) {
    workloads.add(
        new Workload(
            WorkloadNames.aggregator(Fixtures.FED, round, attempt),
            WorkloadKind.AGGREGATOR,
            round,
            attempt,
            null,
            state,
            state == WorkloadState.FAILED ? "OutOfMemory" : null,
            retriable));
    return this;
  }

  Situation committed(int round) {
    return committed(round, List.of());
  }

  /** Round {@code round} committed with the trainers of {@code failed} failed. */
  Situation committed(int round, List<String> failed) {
    manifest =
        new RoundManifest(
            RoundManifest.SCHEMA_VERSION,
            Fixtures.FED,
            round,
            1,
            round - 1,
            T0.plus(Duration.ofMinutes(20)).toString(),
            spec.getAggregation().getStrategy(),
            16,
            sample(round).stream()
                .filter(c -> !failed.contains(c.id()))
                .map(
                    c ->
                        new RoundManifest.AcceptedClient(
                            c.id(), c.rank(), 100, 0.25, 0.4, 100, null, null))
                .toList(),
            List.of(),
            failed.stream()
                .map(id -> new RoundManifest.FailedClient(id, "UnsuccessfulTrainer"))
                .toList(),
            layout().globalAdapterPrefix(round),
            Map.of(
                4, layout().rankAdapterPrefix(round, 4), 8, layout().rankAdapterPrefix(round, 8)),
            null,
            Map.of("accuracy", 0.8),
            0.4,
            0,
            null);
    return this;
  }

  Observation observation() {
    return new Observation(
        Fixtures.FED,
        generation,
        spec,
        status,
        pools,
        workloads,
        Optional.ofNullable(manifest),
        now);
  }

  Decision decide() {
    return RoundProtocol.decide(observation());
  }
}
