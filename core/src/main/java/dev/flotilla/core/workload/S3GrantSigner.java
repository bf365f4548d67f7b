package dev.flotilla.core.workload;

import dev.flotilla.core.storage.NoSuchBucketException;
import dev.flotilla.core.storage.S3ObjectStore;
import dev.flotilla.core.storage.S3Settings;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Signs grants with the Federation's credential through S3 presigning (local computation, no
 * request), for its bucket and any other bucket of the same store (a base model kept apart);
 * listings are remembered for the signer's lifetime, so many trainers of one decision cost one LIST
 * per prefix.
 */
public final class S3GrantSigner implements GrantSigner, AutoCloseable {
  private final S3ObjectStore home;
  private final S3Settings settings;
  private final Duration validity;
  private final Map<String, S3ObjectStore> others = new HashMap<>();
  private final Map<String, List<String>> listings = new HashMap<>();

  /**
   * A signer of URLs valid for {@code validity}.
   *
   * @param home the Federation's store, opened with {@code settings}
   */
  public S3GrantSigner(S3ObjectStore home, S3Settings settings, Duration validity) {
    this.home = home;
    this.settings = settings;
    this.validity = validity;
  }

  @Override
  public String sign(String bucket, String key, boolean write) throws IOException {
    if (bucket.equals(settings.bucket())) {
      return home.presign(write, key, validity);
    }
    try {
      return store(bucket).presign(write, key, validity);
    } catch (NoSuchBucketException e) {
      // Sign for the missing bucket anyway: the workload's request then fails as not found.
      return home.presignIn(bucket, write, key, validity);
    }
  }

  /**
   * {@inheritDoc} A missing bucket lists as empty: the workload then reports the location as
   * missing, as it would without a grant, instead of the round waiting for it.
   */
  @Override
  public List<String> list(String bucket, String prefix) throws IOException {
    String id = bucket + "/" + prefix;
    List<String> keys = listings.get(id);
    if (keys == null) {
      try {
        keys = store(bucket).list(prefix);
      } catch (NoSuchBucketException e) {
        keys = List.of();
      }
      listings.put(id, keys);
    }
    return keys;
  }

  private S3ObjectStore store(String bucket) throws IOException {
    if (bucket.equals(settings.bucket())) {
      return home;
    }
    S3ObjectStore store = others.get(bucket);
    if (store == null) {
      store =
          S3ObjectStore.open(
              new S3Settings(
                  settings.endpoint(),
                  settings.region(),
                  settings.accessKey(),
                  settings.secretKey(),
                  bucket,
                  settings.pathStyle(),
                  false));
      others.put(bucket, store);
    }
    return store;
  }

  /** Closes the stores of other buckets (not the Federation's own). */
  @Override
  public void close() throws Exception {
    for (S3ObjectStore store : others.values()) {
      store.close();
    }
  }
}
