package dev.flotilla.core.aggregation;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The aggregation strategies a round can use. */
public enum AggregationStrategyType {
  /** SVD-based merge of heterogeneous-rank updates (Bai et al., FlexLoRA). */
  FLEXLORA,
  /** Zero-padding of factors to the largest rank, weighted average, truncation per client. */
  HETLORA,
  /** Factor-wise weighted average for homogeneous ranks (FedIT-style baseline). */
  FEDAVG;

  /**
   * Parses a name case-insensitively ({@code flexlora}, {@code HetLoRA}, {@code fedavg}).
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static AggregationStrategyType forName(String name) {
    if (name != null) {
      String key = name.trim().toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
      for (AggregationStrategyType type : values()) {
        if (type.name().equals(key)) {
          return type;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown aggregation strategy '"
            + name
            + "'; expected one of "
            + Arrays.stream(values())
                .map(t -> t.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
  }
}
