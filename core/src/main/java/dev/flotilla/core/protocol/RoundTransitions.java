package dev.flotilla.core.protocol;

import dev.flotilla.core.protocol.Action.EventType;
import dev.flotilla.core.spec.ConditionStatus;
import dev.flotilla.core.spec.FederationConditions;
import dev.flotilla.core.spec.FederationPhase;
import dev.flotilla.core.spec.FederationStatus;
import dev.flotilla.core.spec.RoundOutcome;
import dev.flotilla.core.spec.RoundSummary;
import dev.flotilla.core.storage.RoundManifest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The status transitions shared by the steps: start, retry, commit and fail rounds. Transitions
 * only edit the status; a round's workloads are deleted by the steps of later decisions, once the
 * status has moved past the round, so a lost status write can never leave a round without them.
 */
final class RoundTransitions {

  /** Number of ended rounds kept in {@code status.history}. */
  static final int HISTORY_LIMIT = 10;

  /** Evaluation metrics shown as {@code evalMetric}, by preference. */
  private static final List<String> PRIMARY_METRICS = List.of("accuracy", "loss", "perplexity");

  private static final Duration WAIT_FOR_CLIENTS = Duration.ofMinutes(1);

  private RoundTransitions() {}

  /**
   * Records the intent to run {@code round} (status only; trainers are created by the next
   * decision), or finishes the federation after the last round.
   */
  static void startRound(RoundContext ctx, int round) {
    FederationStatus s = ctx.status();
    if (round > ctx.spec().getRounds()) {
      finish(ctx);
      return;
    }
    s.setCurrentRound(round);
    s.setRound(null);
    if (ctx.clients().size() < ctx.minClients()) {
      s.setPhase(FederationPhase.Pending);
      String message = ctx.clients().size() + " clients, fewer than minClients " + ctx.minClients();
      conditions(
          ctx,
          c ->
              c.set(FederationConditions.READY, ConditionStatus.False, "NotEnoughClients", message)
                  .set(
                      FederationConditions.PROGRESSING,
                      ConditionStatus.False,
                      "NotEnoughClients",
                      message));
      ctx.requeue(WAIT_FOR_CLIENTS);
      return;
    }
    if (ctx.suspended()) {
      suspend(ctx);
      return;
    }
    RoundSummary r = new RoundSummary();
    r.setRound(round);
    r.setAttempt(ctx.highestObservedAttempt(round));
    r.setBaseRound(lastCommitted(s));
    r.setSampled(ctx.sampleSize());
    r.setRunning(r.getSampled());
    r.setSucceeded(0);
    r.setFailed(0);
    s.setRound(r);
    boolean aggregatorExists =
        ctx.workloadsOf(round).stream().anyMatch(w -> w.kind() == WorkloadKind.AGGREGATOR);
    s.setPhase(aggregatorExists ? FederationPhase.Aggregating : FederationPhase.Training);
    restartClock(ctx, r);
    progressing(ctx, "RoundStarted");
    ctx.event(
        EventType.Normal,
        "RoundStarted",
        "round " + round + " of " + ctx.spec().getRounds() + ": " + r.getSampled() + " clients");
    ctx.requeue(Duration.ZERO);
  }

  /** Records the intent of a new attempt of the current round, in {@code phase}. */
  static void retry(RoundContext ctx, FederationPhase phase, String reason, String message) {
    RoundSummary r = ctx.round();
    r.setAttempt(r.getAttempt() + 1);
    restartClock(ctx, r);
    ctx.status().setPhase(phase);
    progressing(ctx, reason);
    ctx.event(
        EventType.Warning,
        reason,
        message + "; starting attempt " + r.getAttempt() + " of round " + r.getRound());
    ctx.requeue(Duration.ZERO);
  }

  /** Records the intent to aggregate the current round (the aggregator is created next). */
  static void aggregate(RoundContext ctx, int succeeded) {
    RoundSummary r = ctx.round();
    restartClock(ctx, r);
    ctx.status().setPhase(FederationPhase.Aggregating);
    progressing(ctx, "Aggregating");
    ctx.event(
        EventType.Normal,
        "AggregationStarted",
        "round " + r.getRound() + ": aggregating " + succeeded + " of " + r.getSampled());
    ctx.requeue(Duration.ZERO);
  }

  /** Records a committed round from its manifest and moves on to the next round. */
  static void commit(RoundContext ctx, RoundManifest m) {
    FederationStatus s = ctx.status();
    RoundSummary r = s.getRound();
    if (r == null || r.getRound() == null || r.getRound() != m.round()) {
      r = new RoundSummary();
      r.setRound(m.round());
      r.setSampled(m.accepted().size() + m.rejected().size() + m.failed().size());
    }
    r.setAttempt(m.attempt());
    r.setBaseRound(m.baseRound());
    r.setRunning(0);
    r.setSucceeded(m.accepted().size());
    r.setFailed(m.rejected().size() + m.failed().size());
    r.setFinishedAt(m.committedAt());
    r.setMeanTrainLoss(m.meanTrainLoss());
    r.setEvalMetric(primaryMetric(m.evalMetrics()));
    r.setOutcome(RoundOutcome.Committed);
    r.setMessage(null);
    appendHistory(s, r);
    // Monotonic for watchers, also when the status is rebuilt from the manifests after a loss:
    // the committed round and adapter never go back, and the current round is at least the
    // committed one (a rebuilt Completed status must not look like one whose spec.rounds grew).
    if (m.round() >= lastCommitted(s)) {
      s.setLastCommittedRound(m.round());
      s.setGlobalAdapterUri(ctx.layout().uri(m.globalAdapterPrefix()).toString());
    }
    if (s.getCurrentRound() == null || s.getCurrentRound() < m.round()) {
      s.setCurrentRound(m.round());
    }
    s.setFailedRounds(Math.max(failedRounds(s), m.failedRounds()));
    FailingClients.record(s, m);
    ctx.event(
        EventType.Normal,
        "RoundCommitted",
        "round "
            + m.round()
            + " committed with "
            + m.accepted().size()
            + " clients"
            + (r.getEvalMetric() == null ? "" : ", eval " + r.getEvalMetric()));
    startRound(ctx, m.round() + 1);
  }

  /** Ends the current round as failed; fails the federation past {@code maxFailedRounds}. */
  static void failRound(RoundContext ctx, String reason, String message) {
    FederationStatus s = ctx.status();
    RoundSummary r = ctx.round();
    r.setRunning(0);
    r.setFinishedAt(ctx.now().toString());
    r.setOutcome(RoundOutcome.Failed);
    r.setMessage(message);
    appendHistory(s, r);
    s.setFailedRounds(failedRounds(s) + 1);
    ctx.event(EventType.Warning, reason, "round " + r.getRound() + " failed: " + message);
    int limit = ctx.spec().getFailurePolicy().getMaxFailedRounds();
    if (s.getFailedRounds() >= limit) {
      failFederation(
          ctx,
          "TooManyFailedRounds",
          s.getFailedRounds() + " rounds failed (maxFailedRounds " + limit + "); last: " + message);
      return;
    }
    conditions(ctx, c -> c.degraded(reason, "round " + r.getRound() + " failed: " + message));
    startRound(ctx, r.getRound() + 1);
  }

  /** All rounds are over: Completed if any round committed, else Failed. */
  static void finish(RoundContext ctx) {
    FederationStatus s = ctx.status();
    s.setRound(null);
    if (lastCommitted(s) == 0) {
      failFederation(ctx, "NoRoundCommitted", "every round failed; there is no global adapter");
      return;
    }
    s.setPhase(FederationPhase.Completed);
    String message =
        "round "
            + s.getLastCommittedRound()
            + " committed; global adapter at "
            + s.getGlobalAdapterUri();
    conditions(ctx, c -> c.completed("AllRoundsDone", message));
    ctx.event(EventType.Normal, "FederationCompleted", message);
    String failing = FailingClients.message(s);
    if (failing != null) {
      conditions(ctx, c -> c.degraded("ClientsFailing", failing));
      ctx.event(EventType.Warning, "ClientsFailing", failing);
    }
    ctx.requeue(Duration.ZERO);
  }

  /** Fails the federation for good. */
  static void failFederation(RoundContext ctx, String reason, String message) {
    ctx.status().setPhase(FederationPhase.Failed);
    conditions(ctx, c -> c.failed(reason, message));
    ctx.event(EventType.Warning, "FederationFailed", message);
    ctx.requeue(Duration.ZERO);
  }

  /** Enters Suspended (once) without touching the current round. */
  static void suspend(RoundContext ctx) {
    if (ctx.status().getPhase() != FederationPhase.Suspended) {
      ctx.event(EventType.Normal, "Suspended", "spec.suspend is true: no new workloads");
    }
    ctx.status().setPhase(FederationPhase.Suspended);
    conditions(ctx, c -> c.suspended("spec.suspend is true"));
  }

  /** Sets the Progressing condition for the current round. */
  static void progressing(RoundContext ctx, String reason) {
    FederationStatus s = ctx.status();
    RoundSummary r = s.getRound();
    String message =
        s.getPhase()
            + " round "
            + r.getRound()
            + " of "
            + ctx.spec().getRounds()
            + ", attempt "
            + r.getAttempt();
    conditions(ctx, c -> c.progressing(reason, message));
  }

  /** Edits the status conditions through {@link FederationConditions}. */
  static void conditions(RoundContext ctx, Consumer<FederationConditions> edit) {
    FederationConditions c =
        FederationConditions.edit(
            ctx.status().getConditions(), ctx.observation().generation(), ctx.now());
    edit.accept(c);
    ctx.status().setConditions(c.toList());
  }

  static int lastCommitted(FederationStatus s) {
    return s.getLastCommittedRound() == null ? 0 : s.getLastCommittedRound();
  }

  private static int failedRounds(FederationStatus s) {
    return s.getFailedRounds() == null ? 0 : s.getFailedRounds();
  }

  private static void restartClock(RoundContext ctx, RoundSummary r) {
    r.setStartedAt(ctx.now().toString());
    r.setDeadline(ctx.now().plus(ctx.roundTimeout()).toString());
    r.setFinishedAt(null);
  }

  private static void appendHistory(FederationStatus s, RoundSummary r) {
    List<RoundSummary> history =
        s.getHistory() == null ? new ArrayList<>() : new ArrayList<>(s.getHistory());
    history.removeIf(h -> h.getRound() != null && h.getRound().equals(r.getRound()));
    history.add(r);
    while (history.size() > HISTORY_LIMIT) {
      history.remove(0);
    }
    s.setHistory(history);
    s.setRound(null);
  }

  private static Double primaryMetric(Map<String, Double> metrics) {
    for (String name : PRIMARY_METRICS) {
      if (metrics.containsKey(name)) {
        return metrics.get(name);
      }
    }
    return null;
  }
}
