package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** Container images of the workloads; omitted fields take the operator's defaults. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImagesSpec {

  @JsonPropertyDescription(
      "Trainer image reference, at most 512 characters; a ClientPool's spec.image overrides it"
          + " for that pool's clients.")
  @Pattern(ImageReference.PATTERN)
  @Size(max = SpecBounds.IMAGE)
  private String trainer;

  @JsonPropertyDescription("Aggregator image reference, at most 512 characters.")
  @Pattern(ImageReference.PATTERN)
  @Size(max = SpecBounds.IMAGE)
  private String aggregator;

  @JsonPropertyDescription("imagePullPolicy of both images.")
  @Pattern("^(Always|IfNotPresent|Never)$")
  private String pullPolicy;

  /** Returns trainer: trainer image reference (a ClientPool's spec.image overrides it). */
  public String getTrainer() {
    return trainer;
  }

  /** Sets trainer. */
  public void setTrainer(String trainer) {
    this.trainer = trainer;
  }

  /** Returns aggregator: aggregator image reference. */
  public String getAggregator() {
    return aggregator;
  }

  /** Sets aggregator. */
  public void setAggregator(String aggregator) {
    this.aggregator = aggregator;
  }

  /** Returns pullPolicy: imagePullPolicy of both images. */
  public String getPullPolicy() {
    return pullPolicy;
  }

  /** Sets pullPolicy. */
  public void setPullPolicy(String pullPolicy) {
    this.pullPolicy = pullPolicy;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ImagesSpec)) {
      return false;
    }
    ImagesSpec other = (ImagesSpec) o;
    return Objects.equals(trainer, other.trainer)
        && Objects.equals(aggregator, other.aggregator)
        && Objects.equals(pullPolicy, other.pullPolicy);
  }

  @Override
  public int hashCode() {
    return Objects.hash(trainer, aggregator, pullPolicy);
  }
}
