package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/**
 * The data owner's own S3-compatible store, from which this pool's trainers read their clients'
 * s3:// data with the pool's credential: neither the operator nor the aggregator ever holds it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DataStorageSpec {

  @JsonPropertyDescription("S3 endpoint URL of the data owner's store, at most 512 characters.")
  @Required
  @Pattern("^https?://.+$")
  @Size(max = SpecBounds.ENDPOINT)
  private String endpoint;

  @JsonPropertyDescription(
      "Secret with read credentials for the data, in the ClientPool's namespace; mounted only into"
          + " this pool's trainer pods (the operator never reads it).")
  @Required
  private SecretKeysRef secretRef;

  @JsonPropertyDescription("Region sent in request signatures, at most 64 characters.")
  @Default("us-east-1")
  @Pattern(SpecBounds.REGION_PATTERN)
  @Size(max = SpecBounds.REGION)
  private String region = "us-east-1";

  @JsonPropertyDescription("Path-style addressing (http://host/bucket/key), needed by MinIO.")
  @Default("true")
  private Boolean pathStyle = Boolean.TRUE;

  /** Returns endpoint: the data owner's S3 endpoint URL. */
  public String getEndpoint() {
    return endpoint;
  }

  /** Sets endpoint. */
  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  /** Returns secretRef: the pool's read credentials for its data. */
  public SecretKeysRef getSecretRef() {
    return secretRef;
  }

  /** Sets secretRef. */
  public void setSecretRef(SecretKeysRef secretRef) {
    this.secretRef = secretRef;
  }

  /** Returns region: region sent in request signatures. */
  public String getRegion() {
    return region;
  }

  /** Sets region. */
  public void setRegion(String region) {
    this.region = region;
  }

  /** Returns pathStyle: path-style addressing. */
  public Boolean getPathStyle() {
    return pathStyle;
  }

  /** Sets pathStyle. */
  public void setPathStyle(Boolean pathStyle) {
    this.pathStyle = pathStyle;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof DataStorageSpec)) {
      return false;
    }
    DataStorageSpec other = (DataStorageSpec) o;
    return Objects.equals(endpoint, other.endpoint)
        && Objects.equals(secretRef, other.secretRef)
        && Objects.equals(region, other.region)
        && Objects.equals(pathStyle, other.pathStyle);
  }

  @Override
  public int hashCode() {
    return Objects.hash(endpoint, secretRef, region, pathStyle);
  }
}
