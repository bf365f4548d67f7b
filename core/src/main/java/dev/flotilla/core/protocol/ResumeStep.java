package dev.flotilla.core.protocol;

import dev.flotilla.core.protocol.Action.EventType;
import dev.flotilla.core.spec.FederationPhase;
import dev.flotilla.core.spec.RoundSummary;
import java.time.Duration;

/**
 * Phase Suspended with {@code spec.suspend} false: continues the suspended round with a fresh
 * deadline, in Aggregating if its aggregator already exists, else in Training.
 */
final class ResumeStep implements RoundStep {

  @Override
  public void apply(RoundContext ctx) {
    RoundSummary r = ctx.round();
    if (r == null) {
      new StartStep().apply(ctx);
      return;
    }
    if (RoundStep.currentRoundCommitted(ctx)) {
      RoundTransitions.commit(ctx, ctx.latestManifest().get());
      return;
    }
    boolean aggregating =
        ctx.workloadsOf(r.getRound()).stream().anyMatch(w -> w.kind() == WorkloadKind.AGGREGATOR);
    ctx.status().setPhase(aggregating ? FederationPhase.Aggregating : FederationPhase.Training);
    r.setStartedAt(ctx.now().toString());
    r.setDeadline(ctx.now().plus(ctx.roundTimeout()).toString());
    RoundTransitions.progressing(ctx, "Resumed");
    ctx.event(EventType.Normal, "Resumed", "round " + r.getRound() + " continues");
    ctx.requeue(Duration.ZERO);
  }
}
