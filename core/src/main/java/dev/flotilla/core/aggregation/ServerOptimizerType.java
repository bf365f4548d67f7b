package dev.flotilla.core.aggregation;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The server optimizers of Reddi et al., "Adaptive Federated Optimization" (ICLR 2021): each treats
 * the aggregate minus the previous global adapter as a pseudo-gradient Δ.
 */
public enum ServerOptimizerType {
  /** The aggregate is the new global adapter (plain FedAvg/HetLoRA/FlexLoRA). */
  NONE,
  /** x + η·m with m = β·m + Δ (FedAvgM; β = 0: server learning rate only). */
  SGD,
  /** FedAdam: m = β₁m + (1−β₁)Δ, v = β₂v + (1−β₂)Δ², x + η·m/(√v + τ). */
  ADAM,
  /** FedYogi: as Adam with v = v − (1−β₂)Δ²·sign(v − Δ²). */
  YOGI,
  /** FedAdagrad: as Adam with v = v + Δ². */
  ADAGRAD;

  /** Whether the optimizer keeps a per-element second moment (not expressible in factors). */
  public boolean isAdaptive() {
    return this == ADAM || this == YOGI || this == ADAGRAD;
  }

  /**
   * Parses a name case-insensitively.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static ServerOptimizerType forName(String name) {
    if (name != null) {
      for (ServerOptimizerType type : values()) {
        if (type.name().equalsIgnoreCase(name.trim())) {
          return type;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown server optimizer '"
            + name
            + "'; expected one of "
            + Arrays.stream(values())
                .map(t -> t.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
  }
}
