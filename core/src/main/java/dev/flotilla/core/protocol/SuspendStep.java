package dev.flotilla.core.protocol;

/**
 * {@code spec.suspend} is true: records a round that commits meanwhile, starts nothing, and keeps
 * phase Suspended; running workloads finish on their own.
 */
final class SuspendStep implements RoundStep {

  @Override
  public void apply(RoundContext ctx) {
    if (ctx.round() != null && RoundStep.currentRoundCommitted(ctx)) {
      RoundTransitions.commit(ctx, ctx.latestManifest().get());
      return;
    }
    Integer current = ctx.status().getCurrentRound();
    if (current != null) {
      ctx.deleteWorkloadsUpTo(current - 1, "left over from an earlier round");
    }
    RoundTransitions.suspend(ctx);
  }
}
