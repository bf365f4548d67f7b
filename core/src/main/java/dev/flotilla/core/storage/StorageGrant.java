package dev.flotilla.core.storage;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one workload attempt may do in object storage, and nothing more: for each object it names, a
 * presigned URL to read it and/or one to write it, all expiring together. The operator (or the
 * local runtime) mints it with the Federation's credential; the workload never sees that
 * credential. A presigned URL is bound to one method, bucket and key by its signature, so a grant
 * cannot be widened by editing it.
 *
 * @param schemaVersion document version
 * @param expires when every URL stops working
 * @param buckets bucket → key → the object's URLs
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StorageGrant(
    int schemaVersion, String expires, Map<String, Map<String, Access>> buckets) {

  /** The current document version. */
  public static final int SCHEMA_VERSION = 1;

  /**
   * The URLs of one object.
   *
   * @param get presigned GET; null: may not read
   * @param put presigned PUT; null: may not write
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Access(String get, String put) {}

  /** Checks and copies the fields (sorted, so equal grants serialize equally). */
  public StorageGrant {
    Objects.requireNonNull(expires, "expires");
    Map<String, Map<String, Access>> copy = new TreeMap<>();
    buckets.forEach((bucket, keys) -> copy.put(bucket, Map.copyOf(new TreeMap<>(keys))));
    buckets = Map.copyOf(copy);
  }

  /** The expiry as an instant. */
  public Instant expiresAt() {
    return Instant.parse(expires);
  }

  /** The granted objects of {@code bucket} (empty when none). */
  public Map<String, Access> objects(String bucket) {
    return buckets.getOrDefault(bucket, Map.of());
  }
}
