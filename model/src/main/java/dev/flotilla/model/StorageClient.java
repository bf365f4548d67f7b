package dev.flotilla.model;

import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.S3ObjectStore;
import dev.flotilla.core.storage.S3Settings;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** Opens (and caches) one {@link ObjectStore} per bucket of a single S3 endpoint. */
public final class StorageClient implements BucketStores, AutoCloseable {
  private final String endpoint;
  private final String region;
  private final String accessKey;
  private final String secretKey;
  private final boolean pathStyle;
  private final Map<String, S3ObjectStore> stores = new HashMap<>();

  /** A client of {@code endpoint}; null keys: anonymous access. */
  public StorageClient(
      String endpoint, String region, String accessKey, String secretKey, boolean pathStyle) {
    this.endpoint = endpoint;
    this.region = region;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.pathStyle = pathStyle;
  }

  /** The store of {@code bucket}; unreachable storage is a transient failure. */
  @Override
  public ObjectStore bucket(String bucket) {
    S3ObjectStore store = stores.get(bucket);
    if (store == null) {
      S3Settings settings;
      try {
        settings = new S3Settings(endpoint, region, accessKey, secretKey, bucket, pathStyle, false);
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new BadInputException("storage settings: " + e.getMessage(), e);
      }
      try {
        store = S3ObjectStore.open(settings);
      } catch (IOException e) {
        throw new TransientException("cannot open bucket " + bucket + " at " + endpoint, e);
      } catch (IllegalArgumentException e) {
        throw new BadInputException("bucket " + bucket + ": " + e.getMessage(), e);
      }
      stores.put(bucket, store);
    }
    return store;
  }

  @Override
  public void close() throws IOException {
    for (Map.Entry<String, S3ObjectStore> e : stores.entrySet()) {
      try {
        e.getValue().close();
      } catch (Exception failure) {
        throw new IOException("cannot close the client of bucket " + e.getKey(), failure);
      }
    }
  }
}
