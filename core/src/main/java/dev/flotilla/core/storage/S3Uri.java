package dev.flotilla.core.storage;

import java.util.Objects;

/**
 * A parsed {@code s3://bucket/key} URI; the key may be empty (the bucket root) and may end with
 * {@code /} (a prefix).
 *
 * @param bucket bucket name
 * @param key object key or prefix, without a leading slash
 */
public record S3Uri(String bucket, String key) {

  private static final String SCHEME = "s3://";

  /** Checks that the bucket is non-empty and the key is relative. */
  public S3Uri {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    if (bucket.isEmpty() || bucket.contains("/")) {
      throw new IllegalArgumentException("invalid S3 bucket name: '" + bucket + "'");
    }
    if (key.startsWith("/")) {
      throw new IllegalArgumentException("S3 key must not start with '/': " + key);
    }
  }

  /** Whether {@code uri} starts with {@code s3://}. */
  public static boolean isS3(String uri) {
    return uri != null && uri.startsWith(SCHEME);
  }

  /**
   * Parses {@code s3://bucket/key}.
   *
   * @throws IllegalArgumentException naming the URI when it is not of that form
   */
  public static S3Uri parse(String uri) {
    if (!isS3(uri)) {
      throw new IllegalArgumentException("not an s3:// URI: " + uri);
    }
    String rest = uri.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 ? "" : rest.substring(slash + 1);
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException("s3:// URI without a bucket: " + uri);
    }
    return new S3Uri(bucket, key);
  }

  /** The URI of {@code relative} below this one (a {@code /} is inserted when needed). */
  public S3Uri resolve(String relative) {
    if (key.isEmpty() || key.endsWith("/")) {
      return new S3Uri(bucket, key + relative);
    }
    return new S3Uri(bucket, key + "/" + relative);
  }

  @Override
  public String toString() {
    return SCHEME + bucket + "/" + key;
  }
}
