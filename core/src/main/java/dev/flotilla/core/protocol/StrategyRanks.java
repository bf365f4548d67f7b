package dev.flotilla.core.protocol;

import dev.flotilla.core.spec.AggregationSpec;
import dev.flotilla.core.spec.AggregationStrategy;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks, before any training, that the aggregation strategy can merge the clients' LoRA ranks into
 * {@code spec.aggregation.globalRank}. FLEXLORA and HETLORA merge any ranks; FEDAVG averages the
 * factors as they are, so every client and the global adapter must share one rank. The aggregator
 * refuses the same inputs after a round of training; this check refuses them first, in the local
 * {@code validate} and as the operator's InvalidSpec condition.
 */
public final class StrategyRanks {

  private StrategyRanks() {}

  /** The problems of {@code aggregation} for {@code clients}; empty when it can merge them. */
  public static List<String> problems(AggregationSpec aggregation, List<ClientRef> clients) {
    if (aggregation.getStrategy() != AggregationStrategy.FEDAVG || clients.isEmpty()) {
      return List.of();
    }
    TreeSet<Integer> ranks =
        clients.stream().map(ClientRef::rank).collect(TreeSet::new, TreeSet::add, TreeSet::addAll);
    if (ranks.size() > 1) {
      return List.of(
          "spec.aggregation.strategy FEDAVG needs every client at one rank; found "
              + ranks.size()
              + " distinct ranks ("
              + ranksByPool(clients)
              + "): set one spec.rank in every ClientPool (and no clients.list[].rank), or use"
              + " FLEXLORA or HETLORA, which merge different ranks");
    }
    int rank = ranks.first();
    Integer global = aggregation.getGlobalRank();
    if (global != null && global != rank) {
      return List.of(
          "spec.aggregation.strategy FEDAVG keeps the clients' rank "
              + rank
              + ", but spec.aggregation.globalRank is "
              + global
              + (global == 16 ? " (its default)" : "")
              + ": set spec.aggregation.globalRank: "
              + rank);
    }
    return List.of();
  }

  private static String ranksByPool(List<ClientRef> clients) {
    Map<Integer, TreeSet<String>> pools = new TreeMap<>();
    for (ClientRef c : clients) {
      pools.computeIfAbsent(c.rank(), r -> new TreeSet<>()).add(c.pool());
    }
    return pools.entrySet().stream()
        .map(e -> "rank " + e.getKey() + " in ClientPool " + String.join(", ", e.getValue()))
        .collect(Collectors.joining("; "));
  }
}
