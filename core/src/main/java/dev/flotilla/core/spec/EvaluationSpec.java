package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** A held-out data set the aggregator scores every global adapter on. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EvaluationSpec {

  @JsonPropertyDescription(
      "JSON-lines evaluation data (s3://bucket/key, or an absolute path in the aggregator"
          + " image; file: only for ./flotilla run).")
  @Required
  @Pattern(SpecBounds.URI_PATTERN)
  @Size(max = SpecBounds.URI)
  private String dataUri;

  /** Returns dataUri: jSON-lines evaluation data (s3://, pvc:// or absolute path). */
  public String getDataUri() {
    return dataUri;
  }

  /** Sets dataUri. */
  public void setDataUri(String dataUri) {
    this.dataUri = dataUri;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof EvaluationSpec)) {
      return false;
    }
    EvaluationSpec other = (EvaluationSpec) o;
    return Objects.equals(dataUri, other.dataUri);
  }

  @Override
  public int hashCode() {
    return Objects.hash(dataUri);
  }
}
