package dev.flotilla.experiments;

import dev.flotilla.core.aggregation.AggregationStrategyType;
import java.util.Locale;

/**
 * One configuration of the experiment grid.
 *
 * @param dataset data set name ({@code sentiment} or {@code spam})
 * @param strategy merge algorithm
 * @param clients number of clients (1 = centralised training)
 * @param partition how the training examples are divided
 * @param ranks the clients' LoRA ranks
 */
public record ExperimentCell(
    String dataset,
    AggregationStrategyType strategy,
    int clients,
    Partition partition,
    RankProfile ranks) {

  /** Validates the combination. */
  public ExperimentCell {
    if (clients < 1) {
      throw new IllegalArgumentException("clients must be >= 1, got " + clients);
    }
    if (strategy == AggregationStrategyType.FEDAVG && ranks != RankProfile.HOMOGENEOUS) {
      throw new IllegalArgumentException("fedavg needs homogeneous ranks");
    }
  }

  /** A file-name-safe identifier, e.g. {@code spam-flexlora-k8-label_skew-heavy_tail}. */
  public String id() {
    return String.join(
        "-",
        dataset,
        strategy.name().toLowerCase(Locale.ROOT),
        "k" + clients,
        partition.name().toLowerCase(Locale.ROOT),
        ranks.name().toLowerCase(Locale.ROOT));
  }

  /** The strategy name shown in tables; one client is centralised training. */
  public String method() {
    return clients == 1 ? "centralised" : strategy.name();
  }
}
