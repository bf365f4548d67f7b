package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** A Kubernetes toleration of the trainer pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TolerationSpec {

  @JsonPropertyDescription("Taint key; empty with operator Exists matches all taints.")
  @Size(max = SpecBounds.LABEL_KEY)
  private String key;

  @JsonPropertyDescription("Exists or Equal (default Equal).")
  @Pattern("^(Exists|Equal)$")
  private String operator;

  @JsonPropertyDescription("Taint value for operator Equal.")
  @Size(max = SpecBounds.LABEL_VALUE)
  private String value;

  @JsonPropertyDescription("Taint effect; empty matches all.")
  @Pattern("^(NoSchedule|PreferNoSchedule|NoExecute)$")
  private String effect;

  @JsonPropertyDescription(
      "For NoExecute: seconds the pod stays bound after the taint appears, at most a year.")
  @Min(0)
  @Max(SpecBounds.TOLERATION_SECONDS)
  private Long tolerationSeconds;

  /** Returns key: taint key; empty with operator Exists matches all taints. */
  public String getKey() {
    return key;
  }

  /** Sets key. */
  public void setKey(String key) {
    this.key = key;
  }

  /** Returns operator: exists or Equal (default Equal). */
  public String getOperator() {
    return operator;
  }

  /** Sets operator. */
  public void setOperator(String operator) {
    this.operator = operator;
  }

  /** Returns value: taint value for operator Equal. */
  public String getValue() {
    return value;
  }

  /** Sets value. */
  public void setValue(String value) {
    this.value = value;
  }

  /** Returns effect: taint effect; empty matches all. */
  public String getEffect() {
    return effect;
  }

  /** Sets effect. */
  public void setEffect(String effect) {
    this.effect = effect;
  }

  /**
   * Returns tolerationSeconds: for NoExecute: seconds the pod stays bound after the taint appears.
   */
  public Long getTolerationSeconds() {
    return tolerationSeconds;
  }

  /** Sets tolerationSeconds. */
  public void setTolerationSeconds(Long tolerationSeconds) {
    this.tolerationSeconds = tolerationSeconds;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TolerationSpec)) {
      return false;
    }
    TolerationSpec other = (TolerationSpec) o;
    return Objects.equals(key, other.key)
        && Objects.equals(operator, other.operator)
        && Objects.equals(value, other.value)
        && Objects.equals(effect, other.effect)
        && Objects.equals(tolerationSeconds, other.tolerationSeconds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, operator, value, effect, tolerationSeconds);
  }
}
