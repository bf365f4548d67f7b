package dev.flotilla.core.storage;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.flotilla.core.spec.AggregationStrategy;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A round's commit marker ({@code manifest.json}), written last by the aggregator: once it exists
 * the round is committed and its adapters are the starting point of the next round.
 *
 * @param schemaVersion {@link #SCHEMA_VERSION}
 * @param federation federation name
 * @param round round number
 * @param attempt the attempt that was aggregated
 * @param baseRound committed round the clients started from; 0: fresh adapters
 * @param committedAt RFC 3339 commit time
 * @param strategy merge algorithm used
 * @param globalRank rank of the global adapter
 * @param accepted clients merged into the global adapter
 * @param rejected clients whose upload was refused (missing, malformed, non-finite…)
 * @param failed sampled clients whose trainer failed or did not finish in time
 * @param globalAdapterPrefix key prefix of the global adapter
 * @param rankAdapterPrefixes key prefix of the redistributed adapter per rank
 * @param diagnostics how the merge was computed and its error estimate
 * @param evalMetrics metrics of the global adapter on the held-out set (empty without one); a round
 *     that started from fresh adapters also holds {@code untrained_accuracy} and {@code
 *     untrained_loss} of the untrained starting point
 * @param meanTrainLoss sample-weighted mean training loss of the accepted clients
 * @param failedRounds rounds failed before this commit (restores the count if status is lost)
 * @param outputSha256 object key → SHA-256 (hex) of every adapter file the round wrote (global and
 *     per-rank); with the accepted clients' input hashes this makes the round tamper-evident
 */
public record RoundManifest(
    @JsonProperty(required = true) int schemaVersion,
    String federation,
    @JsonProperty(required = true) int round,
    @JsonProperty(required = true) int attempt,
    @JsonProperty(required = true) int baseRound,
    String committedAt,
    AggregationStrategy strategy,
    @JsonProperty(required = true) int globalRank,
    List<AcceptedClient> accepted,
    List<RejectedClient> rejected,
    List<FailedClient> failed,
    String globalAdapterPrefix,
    Map<Integer, String> rankAdapterPrefixes,
    AggregationDiagnostics diagnostics,
    Map<String, Double> evalMetrics,
    Double meanTrainLoss,
    @JsonProperty(required = true) int failedRounds,
    Map<String, String> outputSha256) {

  /** The schema version this build writes. */
  public static final int SCHEMA_VERSION = 1;

  /** Validates the fields and copies the collections (maps sorted by key). */
  public RoundManifest {
    SchemaVersions.check("manifest.json", schemaVersion, SCHEMA_VERSION);
    SchemaVersions.required("manifest.json", "federation", federation);
    SchemaVersions.required("manifest.json", "committedAt", committedAt);
    SchemaVersions.required("manifest.json", "strategy", strategy);
    SchemaVersions.required("manifest.json", "globalAdapterPrefix", globalAdapterPrefix);
    if (round < 1) {
      throw new IllegalArgumentException("manifest.json: round must be >= 1, got " + round);
    }
    accepted = accepted == null ? List.of() : List.copyOf(accepted);
    rejected = rejected == null ? List.of() : List.copyOf(rejected);
    failed = failed == null ? List.of() : List.copyOf(failed);
    rankAdapterPrefixes =
        rankAdapterPrefixes == null
            ? Map.of()
            : Collections.unmodifiableMap(new TreeMap<>(rankAdapterPrefixes));
    evalMetrics =
        evalMetrics == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(evalMetrics));
    outputSha256 =
        outputSha256 == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(outputSha256));
  }

  /**
   * A client merged into the global adapter.
   *
   * @param clientId client id
   * @param rank rank of its adapter
   * @param numSamples its training examples, as it reported them
   * @param weight its normalised merge weight (weights of the accepted clients sum to 1)
   * @param trainLoss its reported training loss
   * @param countedSamples the examples its weight was computed from: {@code numSamples} capped so
   *     that no client can inflate its weight (0 in manifests written before the cap)
   * @param adapterModelSha256 SHA-256 (hex) of the {@code adapter_model.safetensors} aggregated
   * @param adapterConfigSha256 SHA-256 (hex) of the {@code adapter_config.json} aggregated
   */
  public record AcceptedClient(
      String clientId,
      int rank,
      long numSamples,
      double weight,
      double trainLoss,
      long countedSamples,
      String adapterModelSha256,
      String adapterConfigSha256) {}

  /**
   * A client whose upload was refused.
   *
   * @param clientId client id
   * @param reason why, e.g. {@code rank 8 upload for a rank-4 client}
   */
  public record RejectedClient(String clientId, String reason) {}

  /**
   * A sampled client that produced no upload.
   *
   * @param clientId client id
   * @param reason the trainer's failure reason, or {@code DeadlineExceeded}
   */
  public record FailedClient(String clientId, String reason) {}

  /**
   * How the merge was computed.
   *
   * @param path the algorithm path taken, e.g. {@code factored-qr-svd} or {@code dense-svd}
   * @param maxErrorEstimate largest relative Frobenius error of the rank truncation over modules
   * @param moduleErrors relative truncation error per module
   */
  public record AggregationDiagnostics(
      String path, double maxErrorEstimate, Map<String, Double> moduleErrors) {

    /** Copies the error map, sorted by module name. */
    public AggregationDiagnostics {
      moduleErrors =
          moduleErrors == null
              ? Map.of()
              : Collections.unmodifiableMap(new TreeMap<>(moduleErrors));
    }
  }
}
