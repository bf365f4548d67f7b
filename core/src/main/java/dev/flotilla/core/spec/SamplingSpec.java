package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * How many clients take part in each round, chosen deterministically from the seed and round
 * number.
 */
@ValidationRule(
    value = "has(self.clientsPerRound) != has(self.fraction)",
    message = "set exactly one of clientsPerRound and fraction")
@ValidationRule(
    value =
        "!has(self.clientsPerRound) || !has(self.minClients) || self.minClients <= self.clientsPerRound",
    message = "minClients must not exceed clientsPerRound")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SamplingSpec {

  @JsonPropertyDescription(
      "Exact number of clients sampled per round (capped at the number of clients), at most"
          + " 10000, the most clients a Federation may have; set this or fraction.")
  @Min(1)
  @Max(SpecBounds.CLIENTS)
  private Integer clientsPerRound;

  @JsonPropertyDescription(
      "Fraction of all clients sampled per round, rounded up; set this or clientsPerRound.")
  @Min(value = 0, inclusive = false)
  @Max(1)
  private Double fraction;

  @JsonPropertyDescription(
      "Quorum: the least number of successful clients needed to aggregate a round, at most"
          + " 10000.")
  @Default("1")
  @Min(1)
  @Max(SpecBounds.CLIENTS)
  private Integer minClients = 1;

  @JsonPropertyDescription("Seed of the per-round client shuffle; same seed, same samples.")
  @Default("0")
  private Long seed = 0L;

  /**
   * Returns clientsPerRound: exact number of clients sampled per round (capped at the number of
   * clients); set this or fraction.
   */
  public Integer getClientsPerRound() {
    return clientsPerRound;
  }

  /** Sets clientsPerRound. */
  public void setClientsPerRound(Integer clientsPerRound) {
    this.clientsPerRound = clientsPerRound;
  }

  /**
   * Returns fraction: fraction of all clients sampled per round, rounded up; set this or
   * clientsPerRound.
   */
  public Double getFraction() {
    return fraction;
  }

  /** Sets fraction. */
  public void setFraction(Double fraction) {
    this.fraction = fraction;
  }

  /**
   * Returns minClients: quorum: the least number of successful clients needed to aggregate a round.
   */
  public Integer getMinClients() {
    return minClients;
  }

  /** Sets minClients. */
  public void setMinClients(Integer minClients) {
    this.minClients = minClients;
  }

  /** Returns seed: seed of the per-round client shuffle; same seed, same samples. */
  public Long getSeed() {
    return seed;
  }

  /** Sets seed. */
  public void setSeed(Long seed) {
    this.seed = seed;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SamplingSpec)) {
      return false;
    }
    SamplingSpec other = (SamplingSpec) o;
    return Objects.equals(clientsPerRound, other.clientsPerRound)
        && Objects.equals(fraction, other.fraction)
        && Objects.equals(minClients, other.minClients)
        && Objects.equals(seed, other.seed);
  }

  @Override
  public int hashCode() {
    return Objects.hash(clientsPerRound, fraction, minClients, seed);
  }
}
