package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** The fine-tuning task: what the adapter learns to do. */
@ValidationRule(
    value = "self.type != 'SEQUENCE_CLASSIFICATION' || has(self.numLabels)",
    message = "numLabels is required when type is SEQUENCE_CLASSIFICATION")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TaskSpec {

  @JsonPropertyDescription("The task the adapter is trained for.")
  @Required
  private TaskKind type;

  @JsonPropertyDescription(
      "Number of classes, 2 to 10000; required for SEQUENCE_CLASSIFICATION, ignored for"
          + " CAUSAL_LM.")
  @Min(2)
  @Max(SpecBounds.LABELS)
  private Integer numLabels;

  /** Returns type: the task the adapter is trained for. */
  public TaskKind getType() {
    return type;
  }

  /** Sets type. */
  public void setType(TaskKind type) {
    this.type = type;
  }

  /**
   * Returns numLabels: number of classes; required for SEQUENCE_CLASSIFICATION, ignored for
   * CAUSAL_LM.
   */
  public Integer getNumLabels() {
    return numLabels;
  }

  /** Sets numLabels. */
  public void setNumLabels(Integer numLabels) {
    this.numLabels = numLabels;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TaskSpec)) {
      return false;
    }
    TaskSpec other = (TaskSpec) o;
    return Objects.equals(type, other.type) && Objects.equals(numLabels, other.numLabels);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, numLabels);
  }
}
