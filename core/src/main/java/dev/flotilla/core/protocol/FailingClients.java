package dev.flotilla.core.protocol;

import dev.flotilla.core.spec.ClientFailure;
import dev.flotilla.core.spec.FederationStatus;
import dev.flotilla.core.storage.RoundManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Keeps {@code status.failingClients}: each committed round removes its accepted clients and adds
 * (or counts again) its failed and rejected ones. A federation that completes with any listed is
 * Completed and Degraded ({@code ClientsFailing}): its global adapter was learnt without them.
 */
final class FailingClients {

  /** Most clients listed in the status (its size stays bounded). */
  static final int MAX_LISTED = 20;

  private FailingClients() {}

  /** Updates {@code status} with the outcome of committed round {@code m}. */
  static void record(FederationStatus status, RoundManifest m) {
    Map<String, ClientFailure> failing = new TreeMap<>();
    if (status.getFailingClients() != null) {
      status.getFailingClients().forEach(f -> failing.put(f.getClientId(), f));
    }
    m.accepted().forEach(a -> failing.remove(a.clientId()));
    m.failed().forEach(f -> count(failing, f.clientId(), "trainer failed: " + f.reason()));
    m.rejected().forEach(r -> count(failing, r.clientId(), "upload rejected: " + r.reason()));
    List<ClientFailure> listed = new ArrayList<>(failing.values());
    status.setFailingClients(
        listed.isEmpty()
            ? null
            : List.copyOf(listed.subList(0, Math.min(MAX_LISTED, listed.size()))));
  }

  private static void count(Map<String, ClientFailure> failing, String client, String reason) {
    ClientFailure before = failing.get(client);
    int rounds = before == null || before.getRounds() == null ? 1 : before.getRounds() + 1;
    failing.put(client, new ClientFailure(client, rounds, reason));
  }

  /** The Degraded message for a completed federation, or null when no client is failing. */
  static String message(FederationStatus status) {
    List<ClientFailure> failing = status.getFailingClients();
    if (failing == null || failing.isEmpty()) {
      return null;
    }
    return failing.size()
        + (failing.size() >= MAX_LISTED ? " or more" : "")
        + " client(s) failed in the last round(s) they were sampled in; the global adapter was"
        + " learnt without them: "
        + failing.stream()
            .map(f -> f.getClientId() + " (" + f.getRounds() + " round(s): " + f.getReason() + ")")
            .collect(Collectors.joining(", "));
  }
}
