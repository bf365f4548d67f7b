package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A Kubernetes-style status condition; change it only through {@link FederationConditions}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {

  @JsonPropertyDescription("Condition type: Ready, Progressing or Degraded.")
  private String type;

  @JsonPropertyDescription("True, False or Unknown.")
  private ConditionStatus status;

  @JsonPropertyDescription("One-word CamelCase reason of the last transition.")
  private String reason;

  @JsonPropertyDescription("Human-readable detail.")
  private String message;

  @JsonPropertyDescription("RFC 3339 time the status last changed.")
  private String lastTransitionTime;

  @JsonPropertyDescription("The metadata.generation this condition was computed for.")
  private Long observedGeneration;

  /** Returns type: condition type: Ready, Progressing or Degraded. */
  public String getType() {
    return type;
  }

  /** Sets type. */
  public void setType(String type) {
    this.type = type;
  }

  /** Returns status: true, False or Unknown. */
  public ConditionStatus getStatus() {
    return status;
  }

  /** Sets status. */
  public void setStatus(ConditionStatus status) {
    this.status = status;
  }

  /** Returns reason: one-word CamelCase reason of the last transition. */
  public String getReason() {
    return reason;
  }

  /** Sets reason. */
  public void setReason(String reason) {
    this.reason = reason;
  }

  /** Returns message: human-readable detail. */
  public String getMessage() {
    return message;
  }

  /** Sets message. */
  public void setMessage(String message) {
    this.message = message;
  }

  /** Returns lastTransitionTime: rFC 3339 time the status last changed. */
  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  /** Sets lastTransitionTime. */
  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }

  /** Returns observedGeneration: the metadata.generation this condition was computed for. */
  public Long getObservedGeneration() {
    return observedGeneration;
  }

  /** Sets observedGeneration. */
  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Condition)) {
      return false;
    }
    Condition other = (Condition) o;
    return Objects.equals(type, other.type)
        && Objects.equals(status, other.status)
        && Objects.equals(reason, other.reason)
        && Objects.equals(message, other.message)
        && Objects.equals(lastTransitionTime, other.lastTransitionTime)
        && Objects.equals(observedGeneration, other.observedGeneration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, status, reason, message, lastTransitionTime, observedGeneration);
  }
}
