package dev.flotilla.aggregator;

import java.util.stream.Collectors;

/** Fewer uploads survived screening than the round's quorum: the round cannot be committed. */
public final class QuorumNotMetException extends Exception {
  QuorumNotMetException(int round, int minClients, Screening screening) {
    super(
        "round "
            + round
            + ": "
            + screening.accepted().size()
            + " acceptable uploads, quorum is "
            + minClients
            + "; rejected: ["
            + screening.rejected().stream()
                .map(r -> r.clientId() + ": " + r.reason())
                .collect(Collectors.joining(", "))
            + "]; without upload: "
            + screening.failed().stream().map(f -> f.clientId()).toList());
  }
}
