package dev.flotilla.core.protocol;

import static dev.flotilla.core.protocol.WorkloadState.FAILED;
import static dev.flotilla.core.protocol.WorkloadState.RUNNING;
import static dev.flotilla.core.protocol.WorkloadState.SUCCEEDED;
import static dev.flotilla.core.spec.FederationPhase.Aggregating;
import static dev.flotilla.core.spec.FederationPhase.Completed;
import static dev.flotilla.core.spec.FederationPhase.Failed;
import static dev.flotilla.core.spec.FederationPhase.Pending;
import static dev.flotilla.core.spec.FederationPhase.Suspended;
import static dev.flotilla.core.spec.FederationPhase.Training;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.spec.AggregationStrategy;
import dev.flotilla.core.spec.ClientFailure;
import dev.flotilla.core.spec.Condition;
import dev.flotilla.core.spec.ConditionStatus;
import dev.flotilla.core.spec.FederationConditions;
import dev.flotilla.core.spec.FederationPhase;
import dev.flotilla.core.spec.FederationStatus;
import dev.flotilla.core.spec.RoundOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven tests of every protocol transition: situation in, decision out. */
class RoundProtocolTest {

  private static Arguments when(String name, Supplier<Situation> given, Consumer<Decision> then) {
    return Arguments.of(name, given, then);
  }

  static Stream<Arguments> transitions() {
    return Stream.of(
        when(
            "new federation records the intent of round 1 only",
            Situation::of,
            d -> {
              expect(d, Training, 1, 1);
              assertThat(d.status().getRound().getBaseRound()).isZero();
              assertThat(d.status().getRound().getSampled()).isEqualTo(4);
              assertThat(d.status().getTotalClients()).isEqualTo(6);
              assertThat(creates(d)).isEmpty();
              assertThat(d.requeueAfter()).contains(Duration.ZERO);
              assertThat(events(d)).containsExactly("RoundStarted");
              assertThat(condition(d, FederationConditions.PROGRESSING).getStatus())
                  .isEqualTo(ConditionStatus.True);
            }),
        when(
            "persisted intent writes the plan then creates every sampled trainer",
            () -> Situation.of().in(Training, 1, 1),
            d -> {
              assertThat(d.actions().get(0)).isInstanceOf(Action.WritePlan.class);
              Action.WritePlan plan = d.actionsOf(Action.WritePlan.class).get(0);
              assertThat(plan.key()).isEqualTo("flotilla/fed/rounds/0001/plan.json");
              assertThat(plan.plan().clients()).hasSize(4);
              List<Action.CreateTrainer> trainers = d.actionsOf(Action.CreateTrainer.class);
              assertThat(trainers).hasSize(4);
              assertThat(trainers)
                  .allSatisfy(
                      t -> {
                        assertThat(t.name()).isEqualTo("fed-r1-" + t.client().id());
                        assertThat(t.startingAdapterPrefix()).isNull();
                        assertThat(t.baseRound()).isZero();
                      });
              assertThat(d.requeueAfter()).contains(Duration.ofMinutes(30));
              assertThat(d.status().getRound().getRunning()).isEqualTo(4);
            }),
        when(
            "later rounds start every client from its rank's adapter of the base round",
            () -> Situation.of().in(Training, 3, 1),
            d ->
                assertThat(d.actionsOf(Action.CreateTrainer.class))
                    .allSatisfy(
                        t ->
                            assertThat(t.startingAdapterPrefix())
                                .isEqualTo(
                                    "flotilla/fed/rounds/0002/ranks/" + t.client().rank() + "/"))),
        when(
            "running trainers: nothing to do until the deadline",
            () ->
                Situation.of()
                    .in(Training, 1, 1)
                    .trainers(1, 1, 4, RUNNING)
                    .at(Duration.ofMinutes(10)),
            d -> {
              assertThat(d.actions()).isEmpty();
              assertThat(d.requeueAfter()).contains(Duration.ofMinutes(20));
            }),
        when(
            "quorum reached early still waits for the last client",
            () ->
                Situation.of()
                    .in(Training, 1, 1)
                    .trainers(1, 1, 3, SUCCEEDED)
                    .trainers(1, 1, 3, 1, RUNNING, false),
            d -> {
              expect(d, Training, 1, 1);
              assertThat(d.actions()).isEmpty();
              assertThat(d.status().getRound().getSucceeded()).isEqualTo(3);
              assertThat(d.status().getRound().getRunning()).isEqualTo(1);
            }),
        when(
            "all trainers succeeded: intent to aggregate, no aggregator yet",
            () -> Situation.of().in(Training, 1, 1).trainers(1, 1, 4, SUCCEEDED),
            d -> {
              expect(d, Aggregating, 1, 1);
              assertThat(creates(d)).isEmpty();
              assertThat(events(d)).containsExactly("AggregationStarted");
              assertThat(d.requeueAfter()).contains(Duration.ZERO);
            }),
        when(
            "deadline passed with quorum: aggregate, straggler left to its own deadline",
            () ->
                Situation.of()
                    .in(Training, 1, 1)
                    .trainers(1, 1, 3, SUCCEEDED)
                    .trainers(1, 1, 3, 1, RUNNING, false)
                    .at(Duration.ofMinutes(31)),
            d -> {
              expect(d, Aggregating, 1, 1);
              assertThat(d.actionsOf(Action.DeleteWorkload.class)).isEmpty();
              assertThat(d.status().getRound().getDeadline())
                  .isEqualTo(Situation.T0.plus(Duration.ofMinutes(61)).toString());
            }),
        when(
            "deadline passed below quorum with retriable failures: new attempt",
            () ->
                Situation.of()
                    .in(Training, 1, 1)
                    .trainers(1, 1, 2, SUCCEEDED)
                    .trainers(1, 1, 2, 2, FAILED, true)
                    .at(Duration.ofMinutes(5)),
            d -> {
              expect(d, Training, 1, 2);
              assertThat(creates(d)).isEmpty();
              assertThat(events(d)).containsExactly("RoundRetried");
            }),
        when(
            "second attempt re-runs only the retriable failures, with -a2 names",
            () ->
                Situation.of()
                    .in(Training, 1, 2)
                    .trainers(1, 1, 2, SUCCEEDED)
                    .trainers(1, 1, 2, 2, FAILED, true),
            d -> {
              List<Action.CreateTrainer> trainers = d.actionsOf(Action.CreateTrainer.class);
              assertThat(trainers).hasSize(2);
              assertThat(trainers).allSatisfy(t -> assertThat(t.name()).endsWith("-a2"));
              assertThat(d.actionsOf(Action.WritePlan.class).get(0).plan().attempt()).isEqualTo(2);
            }),
        when(
            "stragglers of an earlier attempt keep running into the new attempt",
            () ->
                Situation.of()
                    .in(Training, 1, 2)
                    .trainers(1, 1, 2, SUCCEEDED)
                    .trainers(1, 1, 2, 2, RUNNING, false),
            d -> {
              assertThat(d.actions()).isEmpty();
              assertThat(d.status().getRound().getRunning()).isEqualTo(2);
            }),
        when(
            "non-retriable failures make the quorum unreachable: round and federation fail",
            () ->
                Situation.of()
                    .in(Training, 2, 1)
                    .trainers(2, 1, 1, SUCCEEDED)
                    .trainers(2, 1, 1, 2, FAILED, false)
                    .trainers(2, 1, 3, 1, RUNNING, false),
            d -> {
              assertThat(d.status().getPhase()).isEqualTo(Failed);
              assertThat(d.status().getFailedRounds()).isEqualTo(1);
              assertThat(d.status().getHistory())
                  .last()
                  .satisfies(h -> assertThat(h.getOutcome()).isEqualTo(RoundOutcome.Failed));
              assertThat(condition(d, FederationConditions.READY).getReason())
                  .isEqualTo("TooManyFailedRounds");
              assertThat(condition(d, FederationConditions.DEGRADED).getStatus())
                  .isEqualTo(ConditionStatus.True);
              assertThat(events(d)).containsExactly("QuorumNotReached", "FederationFailed");
            }),
        when(
            "a failed round under maxFailedRounds is skipped; the next starts from the last commit",
            () ->
                Situation.of()
                    .spec(s -> s.getFailurePolicy().setMaxFailedRounds(2))
                    .in(Training, 2, 1)
                    .trainers(2, 1, 4, FAILED),
            d -> {
              expect(d, Training, 3, 1);
              assertThat(d.status().getRound().getBaseRound()).isEqualTo(1);
              assertThat(d.status().getFailedRounds()).isEqualTo(1);
              assertThat(condition(d, FederationConditions.DEGRADED).getStatus())
                  .isEqualTo(ConditionStatus.True);
              assertThat(d.actionsOf(Action.DeleteWorkload.class)).isEmpty();
            }),
        when(
            "the next round's first decision deletes the previous round's workloads",
            () -> Situation.of().in(Training, 3, 1).trainers(2, 1, 4, FAILED),
            d -> assertThat(d.actionsOf(Action.DeleteWorkload.class)).hasSize(4)),
        when(
            "retriable failures after the last allowed attempt fail the round",
            () -> Situation.of().in(Training, 1, 3).trainers(1, 3, 0, 4, FAILED, true),
            d -> {
              assertThat(d.status().getPhase()).isEqualTo(Failed);
              assertThat(condition(d, FederationConditions.READY).getMessage())
                  .contains("0 of 4 clients succeeded");
            }),
        when(
            "Aggregating: creates the aggregator with the succeeded clients",
            () ->
                Situation.of()
                    .in(Aggregating, 1, 1)
                    .trainers(1, 1, 3, SUCCEEDED)
                    .trainers(1, 1, 3, 1, FAILED, false),
            d -> {
              Action.CreateAggregator agg = d.actionsOf(Action.CreateAggregator.class).get(0);
              assertThat(agg.name()).isEqualTo("fed-r1-agg");
              assertThat(agg.clients()).hasSize(3);
              assertThat(agg.clientRanks()).isNotEmpty().isSorted();
              assertThat(agg.failedRounds()).isZero();
            }),
        when(
            "Aggregating: waits while the aggregator runs",
            () ->
                Situation.of()
                    .in(Aggregating, 1, 1)
                    .trainers(1, 1, 4, SUCCEEDED)
                    .aggregator(1, 1, RUNNING, false),
            d -> assertThat(d.actions()).isEmpty()),
        when(
            "retriable aggregator failure: new attempt, still Aggregating",
            () ->
                Situation.of()
                    .in(Aggregating, 1, 1)
                    .trainers(1, 1, 4, SUCCEEDED)
                    .aggregator(1, 1, FAILED, true),
            d -> {
              expect(d, Aggregating, 1, 2);
              assertThat(creates(d)).isEmpty();
            }),
        when(
            "the new aggregation attempt creates a -a2 aggregator",
            () ->
                Situation.of()
                    .in(Aggregating, 1, 2)
                    .trainers(1, 1, 4, SUCCEEDED)
                    .aggregator(1, 1, FAILED, true),
            d ->
                assertThat(d.actionsOf(Action.CreateAggregator.class).get(0).name())
                    .isEqualTo("fed-r1-agg-a2")),
        when(
            "non-retriable aggregator failure fails the round",
            () ->
                Situation.of()
                    .in(Aggregating, 1, 1)
                    .trainers(1, 1, 4, SUCCEEDED)
                    .aggregator(1, 1, FAILED, false),
            d -> {
              assertThat(d.status().getPhase()).isEqualTo(Failed);
              assertThat(d.status().getHistory().get(0).getMessage()).contains("OutOfMemory");
            }),
        when(
            "aggregator past its deadline is deleted and the round retried",
            () ->
                Situation.of()
                    .in(Aggregating, 1, 1)
                    .trainers(1, 1, 4, SUCCEEDED)
                    .aggregator(1, 1, RUNNING, false)
                    .at(Duration.ofMinutes(45)),
            d -> {
              expect(d, Aggregating, 1, 2);
              assertThat(d.actionsOf(Action.DeleteWorkload.class))
                  .extracting(Action.DeleteWorkload::name)
                  .containsExactly("fed-r1-agg");
            }),
        when(
            "aggregator exited without a manifest: retried",
            () ->
                Situation.of()
                    .in(Aggregating, 1, 1)
                    .trainers(1, 1, 4, SUCCEEDED)
                    .aggregator(1, 1, SUCCEEDED, false),
            d -> {
              expect(d, Aggregating, 1, 2);
              assertThat(events(d)).containsExactly("ManifestMissing");
            }),
        when(
            "manifest present: commit, record history, start the next round (status only)",
            () ->
                Situation.of()
                    .in(Aggregating, 1, 1)
                    .trainers(1, 1, 4, SUCCEEDED)
                    .aggregator(1, 1, SUCCEEDED, false)
                    .committed(1)
                    .at(Duration.ofMinutes(21)),
            d -> {
              expect(d, Training, 2, 1);
              FederationStatus s = d.status();
              assertThat(s.getLastCommittedRound()).isEqualTo(1);
              assertThat(s.getGlobalAdapterUri())
                  .isEqualTo("s3://flotilla/flotilla/fed/rounds/0001/global/");
              assertThat(s.getRound().getBaseRound()).isEqualTo(1);
              assertThat(s.getHistory())
                  .singleElement()
                  .satisfies(
                      h -> {
                        assertThat(h.getOutcome()).isEqualTo(RoundOutcome.Committed);
                        assertThat(h.getEvalMetric()).isEqualTo(0.8);
                        assertThat(h.getSucceeded()).isEqualTo(4);
                      });
              assertThat(creates(d)).isEmpty();
              assertThat(events(d)).containsExactly("RoundCommitted", "RoundStarted");
            }),
        when(
            "status still says Training but the round is committed: commit (restart safety)",
            () -> Situation.of().in(Training, 2, 1).trainers(2, 1, 4, SUCCEEDED).committed(2),
            d -> {
              expect(d, Training, 3, 1);
              assertThat(d.status().getLastCommittedRound()).isEqualTo(2);
            }),
        when(
            "the last round's commit completes the federation",
            () -> Situation.of().in(Aggregating, 5, 1).committed(5),
            d -> {
              assertThat(d.status().getPhase()).isEqualTo(Completed);
              assertThat(d.status().getGlobalAdapterUri())
                  .isEqualTo("s3://flotilla/flotilla/fed/rounds/0005/global/");
              assertThat(condition(d, FederationConditions.READY).getStatus())
                  .isEqualTo(ConditionStatus.True);
              assertThat(events(d)).contains("FederationCompleted");
            }),
        when(
            "a client that failed its last sampled rounds: Completed and Degraded, named",
            () -> {
              Situation s = Situation.of().in(Aggregating, 5, 1);
              String client = s.sample(5).get(0).id();
              return s.status(
                      st ->
                          st.setFailingClients(
                              List.of(new ClientFailure(client, 2, "trainer failed: x"))))
                  .committed(5, List.of(client));
            },
            d -> {
              String client = Situation.of().sample(5).get(0).id();
              assertThat(d.status().getPhase()).isEqualTo(Completed);
              Condition degraded = condition(d, FederationConditions.DEGRADED);
              assertThat(degraded.getStatus()).isEqualTo(ConditionStatus.True);
              assertThat(degraded.getReason()).isEqualTo("ClientsFailing");
              assertThat(degraded.getMessage())
                  .contains(client + " (3 round(s): trainer failed: UnsuccessfulTrainer)");
              assertThat(events(d)).contains("FederationCompleted", "ClientsFailing");
            }),
        when(
            "a failing client that succeeds again is no longer listed",
            () -> {
              Situation s = Situation.of().in(Aggregating, 5, 1);
              String client = s.sample(5).get(0).id();
              return s.status(
                      st ->
                          st.setFailingClients(
                              List.of(new ClientFailure(client, 2, "trainer failed: x"))))
                  .committed(5);
            },
            d -> {
              assertThat(d.status().getFailingClients()).isNull();
              assertThat(d.status().getConditions())
                  .noneMatch(
                      c ->
                          c.getType().equals(FederationConditions.DEGRADED)
                              && c.getStatus() == ConditionStatus.True);
            }),
        when(
            "Completed: leftover workloads are deleted",
            () ->
                Situation.of()
                    .in(Aggregating, 5, 1)
                    .status(
                        s -> {
                          s.setPhase(Completed);
                          s.setRound(null);
                        })
                    .trainers(5, 1, 4, SUCCEEDED)
                    .aggregator(5, 1, SUCCEEDED, false),
            d -> {
              assertThat(d.actionsOf(Action.DeleteWorkload.class)).hasSize(5);
              assertThat(d.requeueAfter()).isEmpty();
            }),
        when(
            "Completed and spec.rounds raised: the next round starts",
            () ->
                Situation.of()
                    .spec(s -> s.setRounds(6))
                    .in(Aggregating, 5, 1)
                    .status(
                        s -> {
                          s.setPhase(Completed);
                          s.setRound(null);
                          s.setLastCommittedRound(5);
                        }),
            d -> {
              expect(d, Training, 6, 1);
              assertThat(d.status().getRound().getBaseRound()).isEqualTo(5);
            }),
        when(
            "status lost: rebuilt from the highest manifest, the next round starts",
            () -> Situation.of().committed(2),
            d -> {
              expect(d, Training, 3, 1);
              assertThat(d.status().getLastCommittedRound()).isEqualTo(2);
              assertThat(d.status().getHistory())
                  .singleElement()
                  .satisfies(h -> assertThat(h.getRound()).isEqualTo(2));
            }),
        when(
            "status lost mid-retry: the attempt number is recovered from the workloads",
            () -> Situation.of().trainers(1, 1, 2, SUCCEEDED).trainers(1, 2, 2, 2, RUNNING, false),
            d -> expect(d, Training, 1, 2)),
        when(
            "status lost during aggregation: resumes in Aggregating",
            () -> Situation.of().trainers(1, 1, 4, SUCCEEDED).aggregator(1, 1, RUNNING, false),
            d -> expect(d, Aggregating, 1, 1)),
        when(
            "suspend during training: Suspended, nothing created, one event",
            () ->
                Situation.of()
                    .spec(s -> s.setSuspend(true))
                    .in(Training, 1, 1)
                    .trainers(1, 1, 2, RUNNING),
            d -> {
              expect(d, Suspended, 1, 1);
              assertThat(creates(d)).isEmpty();
              assertThat(events(d)).containsExactly("Suspended");
              assertThat(condition(d, FederationConditions.READY).getReason())
                  .isEqualTo("Suspended");
              assertThat(d.requeueAfter()).isEmpty();
            }),
        when(
            "still suspended: no new event",
            () -> Situation.of().spec(s -> s.setSuspend(true)).in(Suspended, 1, 1),
            d -> assertThat(d.actions()).isEmpty()),
        when(
            "resume: Training again with a fresh deadline",
            () ->
                Situation.of()
                    .in(Suspended, 1, 1)
                    .trainers(1, 1, 2, SUCCEEDED)
                    .at(Duration.ofHours(2)),
            d -> {
              expect(d, Training, 1, 1);
              assertThat(d.status().getRound().getDeadline())
                  .isEqualTo(Situation.T0.plus(Duration.ofMinutes(150)).toString());
              assertThat(creates(d)).isEmpty();
              assertThat(events(d)).containsExactly("Resumed");
            }),
        when(
            "resume with an aggregator already created: back to Aggregating",
            () ->
                Situation.of()
                    .in(Suspended, 1, 1)
                    .trainers(1, 1, 4, SUCCEEDED)
                    .aggregator(1, 1, RUNNING, false),
            d -> expect(d, Aggregating, 1, 1)),
        when(
            "a round committing while suspended is recorded; the next one does not start",
            () -> Situation.of().spec(s -> s.setSuspend(true)).in(Suspended, 1, 1).committed(1),
            d -> {
              assertThat(d.status().getPhase()).isEqualTo(Suspended);
              assertThat(d.status().getCurrentRound()).isEqualTo(2);
              assertThat(d.status().getRound()).isNull();
              assertThat(d.status().getLastCommittedRound()).isEqualTo(1);
            }),
        when(
            "resume after a commit while suspended starts the next round",
            () -> Situation.of().in(Suspended, 2, 1).status(s -> s.setRound(null)),
            d -> expect(d, Training, 2, 1)),
        when(
            "invalid spec: Pending, InvalidSpec conditions naming the field, one event",
            () -> Situation.of().spec(s -> s.getSampling().setMinClients(9)),
            d -> {
              assertThat(d.status().getPhase()).isEqualTo(Pending);
              Condition ready = condition(d, FederationConditions.READY);
              assertThat(ready.getReason()).isEqualTo("InvalidSpec");
              assertThat(ready.getMessage()).contains("spec.sampling.minClients");
              assertThat(events(d)).containsExactly("InvalidSpec");
              assertThat(d.requeueAfter()).isEmpty();
            }),
        when(
            "the same invalid spec again: no second event",
            () -> {
              Situation s = Situation.of().spec(x -> x.getSampling().setMinClients(9));
              s.status = s.decide().status();
              return s;
            },
            d -> assertThat(d.actions()).isEmpty()),
        when(
            "a fixed spec withdraws InvalidSpec and the federation starts",
            () -> {
              Situation s = Situation.of().spec(x -> x.getSampling().setMinClients(9));
              s.status = s.decide().status();
              s.spec.getSampling().setMinClients(3);
              s.generation = 2;
              return s;
            },
            d -> {
              expect(d, Training, 1, 1);
              assertThat(condition(d, FederationConditions.DEGRADED).getStatus())
                  .isEqualTo(ConditionStatus.False);
              assertThat(condition(d, FederationConditions.READY).getObservedGeneration())
                  .isEqualTo(2L);
            }),
        when(
            "storage reachable again: the operator's StorageUnavailable is withdrawn",
            () -> {
              Situation s = Situation.of();
              s.status = new FederationStatus();
              s.status.setPhase(Pending);
              s.status.setConditions(
                  FederationConditions.edit(null, 1L, Instant.parse("2026-12-01T00:00:00Z"))
                      .set(
                          FederationConditions.DEGRADED,
                          ConditionStatus.True,
                          "StorageUnavailable",
                          "cannot open bucket flotilla")
                      .toList());
              return s;
            },
            d -> {
              expect(d, Training, 1, 1);
              Condition degraded = condition(d, FederationConditions.DEGRADED);
              assertThat(degraded.getStatus()).isEqualTo(ConditionStatus.False);
              assertThat(degraded.getReason()).isEqualTo("Unblocked");
            }),
        when(
            "a ClientPool named in the spec is missing",
            () -> Situation.of().spec(s -> s.getClientPools().setNames(List.of("small", "gone"))),
            d ->
                assertThat(condition(d, FederationConditions.READY).getMessage())
                    .contains("ClientPool gone not found")),
        when(
            "FEDAVG with clients of different ranks is refused",
            () ->
                Situation.of()
                    .spec(s -> s.getAggregation().setStrategy(AggregationStrategy.FEDAVG)),
            d ->
                assertThat(condition(d, FederationConditions.READY).getMessage())
                    .contains("FEDAVG needs every client at one rank; found 2 distinct ranks")),
        when(
            "FEDAVG at one client rank below the default globalRank is refused before any Job",
            () -> {
              Situation s =
                  Situation.of()
                      .spec(
                          f -> {
                            f.getAggregation().setStrategy(AggregationStrategy.FEDAVG);
                            f.getClientPools().setNames(List.of("large"));
                          });
              s.pools.remove("small");
              return s;
            },
            d -> {
              assertThat(d.actions()).noneMatch(a -> a instanceof Action.CreateTrainer);
              assertThat(condition(d, FederationConditions.READY).getMessage())
                  .contains("spec.aggregation.globalRank is 16");
            }),
        when(
            "fewer clients than minClients: Pending until pools grow",
            () ->
                Situation.of()
                    .spec(
                        s -> {
                          s.getSampling().setClientsPerRound(10);
                          s.getSampling().setMinClients(7);
                        }),
            d -> {
              assertThat(d.status().getPhase()).isEqualTo(Pending);
              assertThat(condition(d, FederationConditions.READY).getReason())
                  .isEqualTo("NotEnoughClients");
              assertThat(d.requeueAfter()).contains(Duration.ofMinutes(1));
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transitions")
  void transition(String name, Supplier<Situation> given, Consumer<Decision> then) {
    Situation situation = given.get();
    FederationStatus before =
        situation.status == null
            ? null
            : dev.flotilla.core.storage.StorageJson.mapper()
                .convertValue(situation.status, FederationStatus.class);

    Decision decision = situation.decide();

    then.accept(decision);
    assertThat(decision.status().getObservedGeneration()).isEqualTo(situation.generation);
    assertThat(situation.status).as("the observed status is never mutated").isEqualTo(before);
    assertThat(situation.decide()).as("deterministic").isEqualTo(decision);
  }

  private static void expect(Decision d, FederationPhase phase, int round, int attempt) {
    assertThat(d.status().getPhase()).isEqualTo(phase);
    assertThat(d.status().getCurrentRound()).isEqualTo(round);
    assertThat(d.status().getRound().getRound()).isEqualTo(round);
    assertThat(d.status().getRound().getAttempt()).isEqualTo(attempt);
  }

  private static List<Action> creates(Decision d) {
    return d.actions().stream()
        .filter(a -> a instanceof Action.CreateTrainer || a instanceof Action.CreateAggregator)
        .toList();
  }

  private static List<String> events(Decision d) {
    return d.actionsOf(Action.EmitEvent.class).stream().map(Action.EmitEvent::reason).toList();
  }

  private static Condition condition(Decision d, String type) {
    return d.status().getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }
}
