package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** Selects one key of a Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeySelector {

  @JsonPropertyDescription("Secret name.")
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @Size(max = SpecBounds.SHORT_STRING)
  private String name;

  @JsonPropertyDescription("Key inside the Secret.")
  @Required
  @Pattern(SpecBounds.SECRET_KEY_PATTERN)
  @Size(max = SpecBounds.SHORT_STRING)
  private String key;

  @JsonPropertyDescription("Whether the Secret or key may be missing.")
  private Boolean optional;

  /** Returns name: secret name. */
  public String getName() {
    return name;
  }

  /** Sets name. */
  public void setName(String name) {
    this.name = name;
  }

  /** Returns key: key inside the Secret. */
  public String getKey() {
    return key;
  }

  /** Sets key. */
  public void setKey(String key) {
    this.key = key;
  }

  /** Returns optional: whether the Secret or key may be missing. */
  public Boolean getOptional() {
    return optional;
  }

  /** Sets optional. */
  public void setOptional(Boolean optional) {
    this.optional = optional;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SecretKeySelector)) {
      return false;
    }
    SecretKeySelector other = (SecretKeySelector) o;
    return Objects.equals(name, other.name)
        && Objects.equals(key, other.key)
        && Objects.equals(optional, other.optional);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, key, optional);
  }
}
