package dev.flotilla.core.aggregation;

import java.util.List;

/**
 * HetLoRA-style baseline: factors zero-padded to the largest client rank, averaged with weights
 * p_c, then truncated to the global rank and to each client rank (Cho et al., 2024, without their
 * rank self-pruning).
 */
public final class HetLoraStrategy implements AggregationStrategy {
  @Override
  public AggregationResult aggregate(
      List<ClientUpdate> updates, AggregationConfig config, ServerHistory history) {
    return FactorAverage.aggregate(RoundInputs.of(updates, config), history);
  }
}
