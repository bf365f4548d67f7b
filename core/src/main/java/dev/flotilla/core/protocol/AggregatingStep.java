package dev.flotilla.core.protocol;

import dev.flotilla.core.spec.FederationPhase;
import dev.flotilla.core.spec.RoundSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Phase Aggregating: creates the attempt's aggregator once no other aggregator of the round is
 * active (an abandoned one is deleted and waited for: aggregators of a round never overlap), waits
 * for the round's manifest, and retries or fails the round when the aggregator fails or times out.
 */
final class AggregatingStep implements RoundStep {

  /** How often to look again while an abandoned aggregator is being stopped. */
  static final Duration FENCE_POLL = Duration.ofSeconds(10);

  @Override
  public void apply(RoundContext ctx) {
    RoundSummary r = ctx.round();
    if (RoundStep.currentRoundCommitted(ctx)) {
      RoundTransitions.commit(ctx, ctx.latestManifest().get());
      return;
    }
    int round = r.getRound();
    ctx.deleteWorkloadsUpTo(round - 1, "left over from an earlier round");
    List<ClientRef> sample = ctx.sample(round);
    List<Workload> workloads = ctx.workloadsOf(round);
    RoundProgress p = RoundProgress.of(sample, workloads, round, r.getAttempt());
    RoundStep.count(ctx, p);
    List<Workload> aggregators =
        workloads.stream().filter(w -> w.kind() == WorkloadKind.AGGREGATOR).toList();
    Instant deadline = Instant.parse(r.getDeadline());
    boolean beforeDeadline = ctx.now().isBefore(deadline);
    List<Workload> active = aggregators.stream().filter(w -> w.state().isActive()).toList();
    List<Workload> abandoned = active.stream().filter(w -> w.attempt() < r.getAttempt()).toList();
    if (!abandoned.isEmpty()) {
      // An earlier attempt's aggregator still runs (its deletion was lost, or it is terminating):
      // delete it (again) and start this attempt's only once it is gone, so two aggregators never
      // write the same round at once.
      for (Workload w : abandoned) {
        ctx.act(new Action.DeleteWorkload(w.name(), "abandoned by an earlier attempt"));
      }
      ctx.requeue(FENCE_POLL);
      return;
    }
    if (!active.isEmpty()) {
      if (beforeDeadline) {
        ctx.requeueAt(deadline);
        return;
      }
      for (Workload w : active) {
        ctx.act(new Action.DeleteWorkload(w.name(), "aggregation deadline passed"));
      }
      failed(ctx, "AggregationTimedOut", "the aggregator did not finish in time", true);
      return;
    }
    Optional<Workload> current =
        aggregators.stream()
            .filter(w -> w.attempt() >= r.getAttempt())
            .max(Comparator.comparingInt(Workload::attempt));
    if (current.isEmpty()) {
      if (!beforeDeadline) {
        // The intent outlived its deadline before the aggregator was created (caller down):
        // record a fresh deadline first, create in the next decision.
        r.setDeadline(ctx.now().plus(ctx.roundTimeout()).toString());
        ctx.requeue(Duration.ZERO);
        return;
      }
      ctx.act(
          new Action.CreateAggregator(
              WorkloadNames.aggregator(ctx.federation(), round, r.getAttempt()),
              round,
              r.getAttempt(),
              r.getBaseRound(),
              p.succeeded(),
              p.succeededAttempts(),
              clientRanks(ctx),
              ctx.status().getFailedRounds() == null ? 0 : ctx.status().getFailedRounds(),
              deadline));
      ctx.requeueAt(deadline);
      return;
    }
    Workload w = current.get();
    if (w.state() == WorkloadState.SUCCEEDED) {
      failed(
          ctx,
          "ManifestMissing",
          "the aggregator " + w.name() + " exited without a manifest",
          true);
    } else {
      String reason = w.failureReason() == null ? "unknown reason" : w.failureReason();
      failed(
          ctx,
          "AggregationFailed",
          "the aggregator " + w.name() + " failed: " + reason,
          w.retriable());
    }
  }

  /** Every rank a client of the federation trains at, ascending. */
  private static List<Integer> clientRanks(RoundContext ctx) {
    return ctx.clients().stream().map(ClientRef::rank).distinct().sorted().toList();
  }

  private static void failed(RoundContext ctx, String reason, String message, boolean retriable) {
    if (retriable && ctx.round().getAttempt() <= ctx.maxRoundRetries()) {
      RoundTransitions.retry(ctx, FederationPhase.Aggregating, reason, message);
    } else {
      RoundTransitions.failRound(ctx, reason, message);
    }
  }
}
