package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** The S3-compatible object store holding adapters, plans and round manifests. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageSpec {

  @JsonPropertyDescription(
      "S3 endpoint URL, e.g. http://minio.storage:9000, at most 512 characters; omitted when"
          + " running locally: the embedded server.")
  @Pattern("^https?://.+$")
  @Size(max = SpecBounds.ENDPOINT)
  private String endpoint;

  @JsonPropertyDescription("Bucket name.")
  @Required
  @Pattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
  private String bucket;

  @JsonPropertyDescription(
      "Key prefix; objects live under <prefix>/<federation>/. Segments of letters, digits, '.',"
          + " '_', '-' separated by '/', none of them '.' or '..'; at most 256 characters.")
  @Default("flotilla")
  @Pattern(SpecBounds.PREFIX_PATTERN)
  @Size(max = SpecBounds.PREFIX)
  private String prefix = "flotilla";

  @JsonPropertyDescription(
      "Secret with the credentials, in the Federation's namespace; omitted: the operator's default"
          + " Secret (flotilla.storage.default-secret-name, same namespace) if configured, else"
          + " none (or the local server's).")
  private SecretKeysRef secretRef;

  @JsonPropertyDescription("Region sent in request signatures, at most 64 characters.")
  @Default("us-east-1")
  @Pattern(SpecBounds.REGION_PATTERN)
  @Size(max = SpecBounds.REGION)
  private String region = "us-east-1";

  @JsonPropertyDescription("Path-style addressing (http://host/bucket/key), needed by MinIO.")
  @Default("true")
  private Boolean pathStyle = Boolean.TRUE;

  @JsonPropertyDescription("Create the bucket when it does not exist.")
  @Default("false")
  private Boolean createBucket = Boolean.FALSE;

  /** Returns endpoint: s3 endpoint URL, e.g. */
  public String getEndpoint() {
    return endpoint;
  }

  /** Sets endpoint. */
  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  /** Returns bucket: bucket name. */
  public String getBucket() {
    return bucket;
  }

  /** Sets bucket. */
  public void setBucket(String bucket) {
    this.bucket = bucket;
  }

  /** Returns prefix: key prefix; objects live under <prefix>/<federation>/. */
  public String getPrefix() {
    return prefix;
  }

  /** Sets prefix. */
  public void setPrefix(String prefix) {
    this.prefix = prefix;
  }

  /** Returns secretRef: secret with the credentials; null: the operator's default Secret. */
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

  /** Returns pathStyle: path-style addressing (http://host/bucket/key), needed by MinIO. */
  public Boolean getPathStyle() {
    return pathStyle;
  }

  /** Sets pathStyle. */
  public void setPathStyle(Boolean pathStyle) {
    this.pathStyle = pathStyle;
  }

  /** Returns createBucket: create the bucket when it does not exist. */
  public Boolean getCreateBucket() {
    return createBucket;
  }

  /** Sets createBucket. */
  public void setCreateBucket(Boolean createBucket) {
    this.createBucket = createBucket;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof StorageSpec)) {
      return false;
    }
    StorageSpec other = (StorageSpec) o;
    return Objects.equals(endpoint, other.endpoint)
        && Objects.equals(bucket, other.bucket)
        && Objects.equals(prefix, other.prefix)
        && Objects.equals(secretRef, other.secretRef)
        && Objects.equals(region, other.region)
        && Objects.equals(pathStyle, other.pathStyle)
        && Objects.equals(createBucket, other.createBucket);
  }

  @Override
  public int hashCode() {
    return Objects.hash(endpoint, bucket, prefix, secretRef, region, pathStyle, createBucket);
  }
}
