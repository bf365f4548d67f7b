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

  /** The implementation of {@code type}. */
  static AggregationStrategy forType(AggregationStrategyType type) {
    return switch (type) {
      case FLEXLORA -> new FlexLoraStrategy();
      case HETLORA -> new HetLoraStrategy();
      case FEDAVG -> new FedAvgStrategy();
    };
  }
}
