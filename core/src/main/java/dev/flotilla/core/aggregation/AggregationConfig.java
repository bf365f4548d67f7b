package dev.flotilla.core.aggregation;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * How to aggregate a round.
 *
 * @param strategy the strategy
 * @param globalRank rank of the global adapter (≥ 1)
 * @param weighting how client weights are derived
 * @param alpha {@code lora_alpha} of the produced adapters (the update is (alpha / r)·B·A)
 * @param clientRanks the client ranks to produce redistributed adapters for (each ≥ 1)
 * @param paddingSeed seeds the fresh A rows of components the aggregate leaves all-zero (see {@link
 *     FreshComponents}); the aggregator derives it from the federation and round
 * @param serverOptimizer the server optimizer applied to the aggregate ({@link
 *     ServerOptimizerConfig#NONE}: none)
 */
public record AggregationConfig(
    AggregationStrategyType strategy,
    int globalRank,
    Weighting weighting,
    double alpha,
    SortedSet<Integer> clientRanks,
    long paddingSeed,
    ServerOptimizerConfig serverOptimizer) {

  /** Validates the fields and copies the rank set. */
  public AggregationConfig {
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(weighting, "weighting");
    Objects.requireNonNull(serverOptimizer, "serverOptimizer");
    if (globalRank < 1) {
      throw new IllegalArgumentException("globalRank must be ≥ 1, got " + globalRank);
    }
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("alpha must be a positive finite number, got " + alpha);
    }
    TreeSet<Integer> ranks = new TreeSet<>(Objects.requireNonNull(clientRanks, "clientRanks"));
    for (int r : ranks) {
      if (r < 1) {
        throw new IllegalArgumentException("clientRanks must all be ≥ 1, got " + r);
      }
    }
    clientRanks = Collections.unmodifiableSortedSet(ranks);
  }

  /** A configuration with padding seed 0 and no server optimizer. */
  public AggregationConfig(
      AggregationStrategyType strategy,
      int globalRank,
      Weighting weighting,
      double alpha,
      SortedSet<Integer> clientRanks) {
    this(strategy, globalRank, weighting, alpha, clientRanks, 0, ServerOptimizerConfig.NONE);
  }

  /** The global rank and all client ranks, ascending. */
  public int[] targetRanks() {
    TreeSet<Integer> all = new TreeSet<>(clientRanks);
    all.add(globalRank);
    return all.stream().mapToInt(Integer::intValue).toArray();
  }
}
