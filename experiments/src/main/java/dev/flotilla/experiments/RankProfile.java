package dev.flotilla.experiments;

import java.util.ArrayList;
import java.util.List;

/** The LoRA ranks of an experiment's clients. */
public enum RankProfile {
  /** Every client at rank 8; global rank 8. */
  HOMOGENEOUS("r=8 all", 8),
  /**
   * A heavy tail: half the clients at rank 2, a quarter at 4, an eighth at 8 and an eighth at 16
   * (by quantile, so 8 clients get 2,2,2,2,4,4,8,16); global rank 16.
   */
  HEAVY_TAIL("heavy tail 2..16", 16);

  private final String label;
  private final int globalRank;

  RankProfile(String label, int globalRank) {
    this.label = label;
    this.globalRank = globalRank;
  }

  /** The name used in tables. */
  public String label() {
    return label;
  }

  /** Rank of the global adapter. */
  public int globalRank() {
    return globalRank;
  }

  /** The ranks of {@code clients} clients, ascending. */
  public List<Integer> ranks(int clients) {
    List<Integer> ranks = new ArrayList<>(clients);
    for (int i = 0; i < clients; i++) {
      if (this == HOMOGENEOUS) {
        ranks.add(8);
        continue;
      }
      double quantile = (i + 0.5) / clients;
      ranks.add(quantile < 0.5 ? 2 : quantile < 0.75 ? 4 : quantile < 0.875 ? 8 : 16);
    }
    return ranks;
  }
}
