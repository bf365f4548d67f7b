package dev.flotilla.core.protocol;

/**
 * No round running yet (new Federation, lost status, or waiting for clients): resumes after the
 * highest committed manifest, or starts round 1.
 */
final class StartStep implements RoundStep {

  @Override
  public void apply(RoundContext ctx) {
    Integer current = ctx.status().getCurrentRound();
    int round = current == null ? 1 : Math.max(current, 1);
    if (ctx.latestManifest().isPresent() && ctx.latestManifest().get().round() >= round) {
      RoundTransitions.commit(ctx, ctx.latestManifest().get());
    } else {
      ctx.deleteWorkloadsUpTo(round - 1, "left over from an earlier round");
      RoundTransitions.startRound(ctx, round);
    }
  }
}
