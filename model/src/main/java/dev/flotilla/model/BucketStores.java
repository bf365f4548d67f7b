package dev.flotilla.model;

import dev.flotilla.core.storage.ObjectStore;

/** The object store of each bucket of one storage endpoint (what a workspace downloads from). */
@FunctionalInterface
public interface BucketStores {
  /**
   * The store of {@code bucket}.
   *
   * @throws TransientException when the storage cannot be reached
   * @throws BadInputException when the storage settings or the bucket are invalid
   */
  ObjectStore bucket(String bucket);
}
