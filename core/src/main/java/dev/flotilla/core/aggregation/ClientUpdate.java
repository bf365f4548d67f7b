package dev.flotilla.core.aggregation;

import dev.flotilla.core.adapter.LoraAdapter;
import java.util.Objects;

/**
 * One client's contribution to a round.
 *
 * @param clientId the client's identifier (used in error messages and weights)
 * @param numSamples the number of training samples the client reported (≥ 0)
 * @param adapter the client's trained adapter
 */
public record ClientUpdate(String clientId, long numSamples, LoraAdapter adapter) {
  /** Validates the fields. */
  public ClientUpdate {
    if (clientId == null || clientId.isBlank()) {
      throw new IllegalArgumentException("clientId must not be blank");
    }
    if (numSamples < 0) {
      throw new IllegalArgumentException(
          "client " + clientId + ": numSamples must be ≥ 0, got " + numSamples);
    }
    Objects.requireNonNull(adapter, () -> "client " + clientId + ": adapter is null");
  }
}
