package dev.flotilla.core.protocol;

/** One step of the round protocol, chosen from the status phase; it edits the context. */
interface RoundStep {

  /** Decides what to do: edits the status, adds actions and requeue requests to {@code ctx}. */
  void apply(RoundContext ctx);

  /** Whether the highest committed manifest covers the current round: it is committed. */
  static boolean currentRoundCommitted(RoundContext ctx) {
    Integer current = ctx.status().getCurrentRound();
    return current != null && ctx.latestManifest().map(m -> m.round() >= current).orElse(false);
  }

  /** Copies progress counts into the round summary. */
  static void count(RoundContext ctx, RoundProgress p) {
    ctx.round().setSucceeded(p.succeeded().size());
    ctx.round().setRunning(p.active().size() + p.needsTrainer().size());
    ctx.round().setFailed(p.failed().size() + p.givenUp().size());
  }
}
