package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/** How client adapters of different ranks are merged into the global adapter. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AggregationSpec {

  @JsonPropertyDescription(
      "Merge algorithm: FLEXLORA (SVD of the weighted sum of B·A), HETLORA (zero-padded rank-wise average) or FEDAVG (plain average, all ranks equal).")
  @Default("FLEXLORA")
  private AggregationStrategy strategy = AggregationStrategy.FLEXLORA;

  @JsonPropertyDescription(
      "Rank of the global adapter, at most 1024 (a rank-1024 adapter of a 4096-wide model is"
          + " about 4 GB); clients receive its truncation to their own rank.")
  @Default("16")
  @Min(1)
  @Max(SpecBounds.RANK)
  private Integer globalRank = 16;

  @JsonPropertyDescription(
      "Client weights: SAMPLES (proportional to training examples) or UNIFORM.")
  @Default("SAMPLES")
  private Weighting weighting = Weighting.SAMPLES;

  @JsonPropertyDescription(
      "Server optimizer applied to each round's aggregate (pseudo-gradient: aggregate minus the"
          + " previous global adapter); its state is stored with the round. Default: none.")
  private ServerOptimizerSpec serverOptimizer;

  /**
   * Returns strategy: merge algorithm: FLEXLORA (SVD of the weighted sum of B·A), HETLORA
   * (zero-padded rank-wise average) or FEDAVG (plain average, all ranks equal).
   */
  public AggregationStrategy getStrategy() {
    return strategy;
  }

  /** Sets strategy. */
  public void setStrategy(AggregationStrategy strategy) {
    this.strategy = strategy;
  }

  /**
   * Returns globalRank: rank of the global adapter; clients receive its truncation to their own
   * rank.
   */
  public Integer getGlobalRank() {
    return globalRank;
  }

  /** Sets globalRank. */
  public void setGlobalRank(Integer globalRank) {
    this.globalRank = globalRank;
  }

  /** Returns weighting: client weights: SAMPLES (proportional to training examples) or UNIFORM. */
  public Weighting getWeighting() {
    return weighting;
  }

  /** Sets weighting. */
  public void setWeighting(Weighting weighting) {
    this.weighting = weighting;
  }

  /** Returns serverOptimizer: the server optimizer (null: none). */
  public ServerOptimizerSpec getServerOptimizer() {
    return serverOptimizer;
  }

  /** Sets serverOptimizer. */
  public void setServerOptimizer(ServerOptimizerSpec serverOptimizer) {
    this.serverOptimizer = serverOptimizer;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof AggregationSpec)) {
      return false;
    }
    AggregationSpec other = (AggregationSpec) o;
    return Objects.equals(strategy, other.strategy)
        && Objects.equals(globalRank, other.globalRank)
        && Objects.equals(weighting, other.weighting)
        && Objects.equals(serverOptimizer, other.serverOptimizer);
  }

  @Override
  public int hashCode() {
    return Objects.hash(strategy, globalRank, weighting, serverOptimizer);
  }
}
