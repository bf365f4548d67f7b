package dev.flotilla.core.protocol;

import dev.flotilla.core.protocol.Action.EventType;
import dev.flotilla.core.spec.FederationPhase;
import dev.flotilla.core.spec.RoundSummary;
import dev.flotilla.core.storage.RoundPlan;
import java.time.Instant;
import java.util.List;

/**
 * Phase Training: creates the missing trainers of the recorded attempt; then aggregates once every
 * client finished (or the deadline passed) with at least minClients successes; retries the round
 * (re-running retriable failures, letting stragglers continue) when only a new attempt can reach
 * the quorum; fails it as soon as no attempt can.
 */
final class TrainingStep implements RoundStep {

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
    RoundProgress p = RoundProgress.of(sample, ctx.workloadsOf(round), round, r.getAttempt());
    RoundStep.count(ctx, p);
    Instant deadline = Instant.parse(r.getDeadline());
    boolean beforeDeadline = ctx.now().isBefore(deadline);
    if (beforeDeadline && !p.needsTrainer().isEmpty()) {
      createTrainers(ctx, sample, p.needsTrainer(), deadline);
      ctx.requeueAt(deadline);
      return;
    }
    int succeeded = p.succeeded().size();
    int unfinished = p.active().size() + p.needsTrainer().size();
    boolean attemptsLeft = r.getAttempt() <= ctx.maxRoundRetries();
    String why =
        succeeded
            + " of "
            + sample.size()
            + " clients succeeded, minClients is "
            + ctx.minClients()
            + (beforeDeadline ? "" : " (deadline passed)");
    int stillPossible = succeeded + unfinished + (attemptsLeft ? p.retriableFailures() : 0);
    if (stillPossible < ctx.minClients()) {
      RoundTransitions.failRound(ctx, "QuorumNotReached", why);
      return;
    }
    boolean quorumInReach = succeeded + unfinished >= ctx.minClients();
    if (beforeDeadline && !p.allFinished() && quorumInReach) {
      ctx.requeueAt(deadline);
      return;
    }
    // Every client finished, the deadline passed, or only a retry can still reach the quorum.
    if (succeeded >= ctx.minClients()) {
      // Stragglers are left to their own deadline and deleted with the round: deleting them now
      // would let a status loss re-create them.
      RoundTransitions.aggregate(ctx, succeeded);
    } else if (attemptsLeft && (p.retriableFailures() > 0 || unfinished > 0)) {
      RoundTransitions.retry(ctx, FederationPhase.Training, "RoundRetried", why);
    } else {
      RoundTransitions.failRound(ctx, "QuorumNotReached", why);
    }
  }

  private static void createTrainers(
      RoundContext ctx, List<ClientRef> sample, List<ClientRef> missing, Instant deadline) {
    RoundSummary r = ctx.round();
    int round = r.getRound();
    int attempt = r.getAttempt();
    int base = r.getBaseRound();
    String planKey = ctx.layout().planKey(round);
    List<RoundPlan.PlannedClient> planned =
        sample.stream()
            .map(
                c ->
                    new RoundPlan.PlannedClient(
                        c.id(),
                        c.pool(),
                        c.rank(),
                        c.dataUri(),
                        ctx.layout().startingAdapterPrefix(base, c.rank()).orElse(null)))
            .toList();
    RoundPlan plan =
        new RoundPlan(
            RoundPlan.SCHEMA_VERSION,
            ctx.federation(),
            round,
            attempt,
            base,
            ctx.spec().getAggregation().getGlobalRank(),
            planned);
    ctx.act(new Action.WritePlan(planKey, plan));
    for (ClientRef c : missing) {
      ctx.act(
          new Action.CreateTrainer(
              WorkloadNames.trainer(ctx.federation(), round, c.id(), attempt),
              round,
              attempt,
              base,
              c,
              ctx.layout().startingAdapterPrefix(base, c.rank()).orElse(null),
              deadline));
    }
    ctx.event(
        EventType.Normal,
        "TrainersCreated",
        "round " + round + " attempt " + attempt + ": creating " + missing.size() + " trainers");
  }
}
