package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** Where an environment variable's value comes from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EnvVarSource {

  @JsonPropertyDescription("A key of a Secret.")
  @Required
  private SecretKeySelector secretKeyRef;

  /** Returns secretKeyRef: a key of a Secret. */
  public SecretKeySelector getSecretKeyRef() {
    return secretKeyRef;
  }

  /** Sets secretKeyRef. */
  public void setSecretKeyRef(SecretKeySelector secretKeyRef) {
    this.secretKeyRef = secretKeyRef;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof EnvVarSource)) {
      return false;
    }
    EnvVarSource other = (EnvVarSource) o;
    return Objects.equals(secretKeyRef, other.secretKeyRef);
  }

  @Override
  public int hashCode() {
    return Objects.hash(secretKeyRef);
  }
}
