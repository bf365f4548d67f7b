package dev.flotilla.aggregator;

import dev.flotilla.core.storage.RoundManifest.FailedClient;
import dev.flotilla.core.storage.RoundManifest.RejectedClient;
import java.util.List;

/**
 * The verdict on a round's uploads, each list sorted by client id.
 *
 * @param accepted uploads to aggregate
 * @param rejected uploads refused, with the reason
 * @param failed planned clients without a complete upload
 */
public record Screening(
    List<ClientUpload> accepted, List<RejectedClient> rejected, List<FailedClient> failed) {
  /** Copies the lists. */
  public Screening {
    accepted = List.copyOf(accepted);
    rejected = List.copyOf(rejected);
    failed = List.copyOf(failed);
  }
}
