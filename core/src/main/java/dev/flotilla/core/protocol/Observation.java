package dev.flotilla.core.protocol;

import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.spec.FederationStatus;
import dev.flotilla.core.storage.RoundManifest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the protocol looks at for one decision.
 *
 * @param federation the Federation's name
 * @param generation its {@code metadata.generation}
 * @param spec its spec
 * @param status its current status; null when it has none (new, or status lost)
 * @param pools the ClientPools the spec selects, by name (the caller resolves names or labels)
 * @param workloads the federation's observed workloads, all rounds
 * @param latestManifest the highest committed round's manifest, probed with {@link
 *     RoundProtocol#manifestProbe}
 * @param now the current time
 */
public record Observation(
    String federation,
    long generation,
    FederationSpec spec,
    FederationStatus status,
    Map<String, ClientPoolSpec> pools,
    List<Workload> workloads,
    Optional<RoundManifest> latestManifest,
    Instant now) {

  /** Checks and copies the fields. */
  public Observation {
    Objects.requireNonNull(federation, "federation");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(now, "now");
    pools = Map.copyOf(pools);
    workloads = List.copyOf(workloads);
    latestManifest = Objects.requireNonNull(latestManifest, "latestManifest");
  }
}
