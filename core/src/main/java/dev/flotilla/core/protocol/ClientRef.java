package dev.flotilla.core.protocol;

import java.util.Objects;

/**
 * One client of a federation, resolved from its ClientPool.
 *
 * @param id client id, unique across the federation's pools
 * @param pool name of the ClientPool it belongs to
 * @param rank its LoRA rank
 * @param dataUri its training data
 */
public record ClientRef(String id, String pool, int rank, String dataUri) {

  /** Checks the fields. */
  public ClientRef {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(dataUri, "dataUri of client " + id);
    if (rank < 1) {
      throw new IllegalArgumentException("rank of client " + id + " must be >= 1, got " + rank);
    }
  }
}
