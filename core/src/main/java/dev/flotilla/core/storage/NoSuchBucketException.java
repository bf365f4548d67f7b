package dev.flotilla.core.storage;

import java.io.IOException;

/** The bucket does not exist on the store (a bad location, not an outage). */
public class NoSuchBucketException extends IOException {
  private static final long serialVersionUID = 1L;

  /** An exception naming the bucket and the store. */
  public NoSuchBucketException(String bucket, String endpoint) {
    super("bucket " + bucket + " does not exist at " + endpoint);
  }
}
