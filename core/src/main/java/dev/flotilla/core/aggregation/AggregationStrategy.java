package dev.flotilla.core.aggregation;

import java.util.List;

/** Merges client updates of one round into a global adapter and per-rank client adapters. */
public interface AggregationStrategy {
  /**
   * Aggregates {@code updates}.
   *
   * @throws IllegalArgumentException when the updates are empty or inconsistent (the message names
   *     the client and module)
   */
  default AggregationResult aggregate(List<ClientUpdate> updates, AggregationConfig config) {
    return aggregate(updates, config, ServerHistory.NONE);
  }

  /**
   * Aggregates {@code updates} and applies the configured server optimizer to the aggregate, from
   * the previous global point and optimizer state in {@code history}.
   *
   * @throws IllegalArgumentException when the updates are empty or inconsistent, or the history
   *     does not match them (the message names the client or module)
   */
  AggregationResult aggregate(
      List<ClientUpdate> updates, AggregationConfig config, ServerHistory history);

  /**
   * The implementation of {@code type}; FlexLoRA runs on {@code kernels}, factor averaging needs no
   * dense kernels.
   */
  static AggregationStrategy forType(AggregationStrategyType type, DenseKernels kernels) {
    return switch (type) {
      case FLEXLORA -> new FlexLoraStrategy(kernels);
      case HETLORA -> new HetLoraStrategy();
      case FEDAVG -> new FedAvgStrategy();
    };
  }
}
