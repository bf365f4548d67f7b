package dev.flotilla.core.protocol;

import dev.flotilla.core.spec.FederationPhase;

/**
 * Phase Completed or Failed: deletes leftover workloads; a Completed federation whose {@code
 * spec.rounds} was raised continues with the next round.
 */
final class FinishedStep implements RoundStep {

  @Override
  public void apply(RoundContext ctx) {
    int current = ctx.status().getCurrentRound() == null ? 0 : ctx.status().getCurrentRound();
    if (ctx.status().getPhase() == FederationPhase.Completed && current < ctx.spec().getRounds()) {
      RoundTransitions.startRound(ctx, current + 1);
      return;
    }
    ctx.deleteWorkloadsUpTo(Integer.MAX_VALUE, "federation " + ctx.status().getPhase());
  }
}
