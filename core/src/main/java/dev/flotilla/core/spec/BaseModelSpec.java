package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** The frozen base model every client fine-tunes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BaseModelSpec {

  @JsonPropertyDescription(
      "Where the base model weights live: s3://bucket/key, or an absolute path baked into the"
          + " trainer image (file: only for ./flotilla run).")
  @Required
  @Pattern(SpecBounds.URI_PATTERN)
  @Size(max = SpecBounds.URI)
  private String uri;

  @JsonPropertyDescription(
      "Architecture family of the base model; AUTO reads it from the model's config.json.")
  @Default("AUTO")
  private ModelArchitecture architecture = ModelArchitecture.AUTO;

  @JsonPropertyDescription(
      "Tokenizer location (same URI forms as uri); omitted: the tokenizer.json next to the base model.")
  @Pattern(SpecBounds.URI_PATTERN)
  @Size(max = SpecBounds.URI)
  private String tokenizer;

  /**
   * Returns uri: where the base model weights live: s3://bucket/key, pvc://<claim>/<path>, or an
   * absolute path baked into the trainer image.
   */
  public String getUri() {
    return uri;
  }

  /** Sets uri. */
  public void setUri(String uri) {
    this.uri = uri;
  }

  /**
   * Returns architecture: architecture family of the base model; AUTO reads it from the model's
   * config.json.
   */
  public ModelArchitecture getArchitecture() {
    return architecture;
  }

  /** Sets architecture. */
  public void setArchitecture(ModelArchitecture architecture) {
    this.architecture = architecture;
  }

  /**
   * Returns tokenizer: tokenizer location (same URI forms as uri); omitted: the tokenizer.json next
   * to the base model.
   */
  public String getTokenizer() {
    return tokenizer;
  }

  /** Sets tokenizer. */
  public void setTokenizer(String tokenizer) {
    this.tokenizer = tokenizer;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof BaseModelSpec)) {
      return false;
    }
    BaseModelSpec other = (BaseModelSpec) o;
    return Objects.equals(uri, other.uri)
        && Objects.equals(architecture, other.architecture)
        && Objects.equals(tokenizer, other.tokenizer);
  }

  @Override
  public int hashCode() {
    return Objects.hash(uri, architecture, tokenizer);
  }
}
