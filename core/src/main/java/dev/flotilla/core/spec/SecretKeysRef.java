package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** Names a Secret and the keys inside it that hold the S3 credentials. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeysRef {

  @JsonPropertyDescription("Name of the Secret in the Federation's namespace.")
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @Size(max = SpecBounds.SHORT_STRING)
  private String name;

  @JsonPropertyDescription("Key of the access key id in the Secret.")
  @Default("accessKey")
  @Pattern(SpecBounds.SECRET_KEY_PATTERN)
  @Size(max = SpecBounds.SHORT_STRING)
  private String accessKeyKey = "accessKey";

  @JsonPropertyDescription("Key of the secret access key in the Secret.")
  @Default("secretKey")
  @Pattern(SpecBounds.SECRET_KEY_PATTERN)
  @Size(max = SpecBounds.SHORT_STRING)
  private String secretKeyKey = "secretKey";

  /** Returns name: name of the Secret in the Federation's namespace. */
  public String getName() {
    return name;
  }

  /** Sets name. */
  public void setName(String name) {
    this.name = name;
  }

  /** Returns accessKeyKey: key of the access key id in the Secret. */
  public String getAccessKeyKey() {
    return accessKeyKey;
  }

  /** Sets accessKeyKey. */
  public void setAccessKeyKey(String accessKeyKey) {
    this.accessKeyKey = accessKeyKey;
  }

  /** Returns secretKeyKey: key of the secret access key in the Secret. */
  public String getSecretKeyKey() {
    return secretKeyKey;
  }

  /** Sets secretKeyKey. */
  public void setSecretKeyKey(String secretKeyKey) {
    this.secretKeyKey = secretKeyKey;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SecretKeysRef)) {
      return false;
    }
    SecretKeysRef other = (SecretKeysRef) o;
    return Objects.equals(name, other.name)
        && Objects.equals(accessKeyKey, other.accessKeyKey)
        && Objects.equals(secretKeyKey, other.secretKeyKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, accessKeyKey, secretKeyKey);
  }
}
