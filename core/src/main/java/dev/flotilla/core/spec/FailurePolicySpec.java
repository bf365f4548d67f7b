package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/** What happens when a round cannot reach its quorum. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailurePolicySpec {

  @JsonPropertyDescription(
      "Extra attempts of a round (re-running the clients that did not succeed) before the round"
          + " fails, at most 100.")
  @Default("2")
  @Min(0)
  @Max(SpecBounds.ROUND_RETRIES)
  private Integer maxRoundRetries = 2;

  @JsonPropertyDescription(
      "The federation fails once this many rounds have failed; below it a failed round is"
          + " skipped; at most 10000, the most rounds.")
  @Default("1")
  @Min(1)
  @Max(SpecBounds.ROUNDS)
  private Integer maxFailedRounds = 1;

  /**
   * Returns maxRoundRetries: extra attempts of a round (re-running the clients that did not
   * succeed) before the round fails.
   */
  public Integer getMaxRoundRetries() {
    return maxRoundRetries;
  }

  /** Sets maxRoundRetries. */
  public void setMaxRoundRetries(Integer maxRoundRetries) {
    this.maxRoundRetries = maxRoundRetries;
  }

  /**
   * Returns maxFailedRounds: the federation fails once this many rounds have failed; below it a
   * failed round is skipped.
   */
  public Integer getMaxFailedRounds() {
    return maxFailedRounds;
  }

  /** Sets maxFailedRounds. */
  public void setMaxFailedRounds(Integer maxFailedRounds) {
    this.maxFailedRounds = maxFailedRounds;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof FailurePolicySpec)) {
      return false;
    }
    FailurePolicySpec other = (FailurePolicySpec) o;
    return Objects.equals(maxRoundRetries, other.maxRoundRetries)
        && Objects.equals(maxFailedRounds, other.maxFailedRounds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxRoundRetries, maxFailedRounds);
  }
}
