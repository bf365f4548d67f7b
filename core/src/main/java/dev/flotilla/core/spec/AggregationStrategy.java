package dev.flotilla.core.spec;

/** Algorithm merging client adapters (possibly of different ranks) into one global adapter. */
public enum AggregationStrategy {
  /** FlexLoRA: truncated SVD of the weighted sum of the full updates {@code B·A}. */
  FLEXLORA,
  /** HetLoRA: zero-pad every client to the global rank and average the factors. */
  HETLORA,
  /** FedAvg: average the factors A and B directly; all clients must share one rank. */
  FEDAVG
}
