package dev.flotilla.core.storage;

import java.util.Objects;

/**
 * Connection settings of an S3-compatible store (MinIO, AWS S3, s3proxy).
 *
 * @param endpoint endpoint URL, e.g. {@code http://minio.storage:9000}
 * @param region signing region
 * @param accessKey access key id; null for anonymous access
 * @param secretKey secret access key; null for anonymous access
 * @param bucket the bucket every key refers to
 * @param pathStyle path-style addressing ({@code http://host/bucket/key}) instead of virtual hosts
 * @param createBucket create the bucket on open when it does not exist
 */
public record S3Settings(
    String endpoint,
    String region,
    String accessKey,
    String secretKey,
    String bucket,
    boolean pathStyle,
    boolean createBucket) {

  /** Checks the required fields. */
  public S3Settings {
    if (endpoint == null || !(endpoint.startsWith("http://") || endpoint.startsWith("https://"))) {
      throw new IllegalArgumentException(
          "storage.endpoint must be an http:// or https:// URL, got " + endpoint);
    }
    Objects.requireNonNull(bucket, "storage.bucket");
    if ((accessKey == null) != (secretKey == null)) {
      throw new IllegalArgumentException("storage credentials need both access and secret key");
    }
    region = region == null || region.isBlank() ? "us-east-1" : region;
  }

  @Override
  public String toString() {
    return "S3Settings[endpoint=" + endpoint + ", bucket=" + bucket + ", region=" + region + "]";
  }
}
