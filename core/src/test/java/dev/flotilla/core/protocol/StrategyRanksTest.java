package dev.flotilla.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.spec.AggregationSpec;
import dev.flotilla.core.spec.AggregationStrategy;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrategyRanksTest {

  private static AggregationSpec fedAvg(Integer globalRank) {
    AggregationSpec a = new AggregationSpec();
    a.setStrategy(AggregationStrategy.FEDAVG);
    if (globalRank != null) {
      a.setGlobalRank(globalRank);
    }
    return a;
  }

  private static ClientRef client(String id, String pool, int rank) {
    return new ClientRef(id, pool, rank, "s3://data/" + id + ".jsonl");
  }

  @Test
  void fedAvgWithTheDefaultGlobalRankAndClientsAtRank8IsRefusedNamingTheFields() {
    List<String> problems =
        StrategyRanks.problems(fedAvg(null), List.of(client("a", "p", 8), client("b", "p", 8)));

    assertThat(problems)
        .singleElement()
        .asString()
        .contains("spec.aggregation.strategy FEDAVG")
        .contains("rank 8")
        .contains("spec.aggregation.globalRank is 16")
        .contains("set spec.aggregation.globalRank: 8");
  }

  @Test
  void fedAvgCountsDistinctRanksAndNamesTheirPools() {
    List<String> problems =
        StrategyRanks.problems(
            fedAvg(8),
            List.of(
                client("a", "small", 2),
                client("b", "mid", 4),
                client("c", "large", 8),
                client("d", "huge", 16),
                client("e", "large", 8)));

    assertThat(problems)
        .singleElement()
        .asString()
        .contains("found 4 distinct ranks")
        .contains("rank 2 in ClientPool small")
        .contains("rank 8 in ClientPool large");
  }

  @Test
  void fedAvgAtOneMatchingRankAndOtherStrategiesPass() {
    assertThat(StrategyRanks.problems(fedAvg(8), List.of(client("a", "p", 8)))).isEmpty();
    AggregationSpec flex = new AggregationSpec();
    assertThat(StrategyRanks.problems(flex, List.of(client("a", "p", 4), client("b", "q", 8))))
        .isEmpty();
  }
}
