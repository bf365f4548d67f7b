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
  AggregationResult aggregate(List<ClientUpdate> updates, AggregationConfig config);

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
