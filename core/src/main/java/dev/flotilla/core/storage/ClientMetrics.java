package dev.flotilla.core.storage;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A trainer's {@code metrics.json}, uploaded after its adapter files: its presence marks the upload
 * complete. Schema version 2 added the SHA-256 of both adapter files, which bind it to the exact
 * bytes the trainer uploaded; version 1 documents, without them, still parse (the aggregator
 * rejects uploads without hashes).
 *
 * @param schemaVersion {@link #SCHEMA_VERSION}
 * @param clientId the client
 * @param round the round trained
 * @param attempt the round attempt that produced the upload
 * @param rank LoRA rank of the uploaded adapter
 * @param numSamples training examples used (the aggregation weight with SAMPLES weighting)
 * @param steps optimizer steps taken
 * @param trainLoss mean training loss over the last epoch (or last 10% of steps)
 * @param evalMetrics metrics on the client's own validation split, if any (e.g. accuracy)
 * @param wallTimeSeconds training wall time
 * @param peakMemoryBytes peak resident memory of the trainer process
 * @param adapterModelSha256 SHA-256 (hex) of the uploaded {@code adapter_model.safetensors}, or
 *     null (version 1)
 * @param adapterConfigSha256 SHA-256 (hex) of the uploaded {@code adapter_config.json}, or null
 *     (version 1)
 */
public record ClientMetrics(
    @JsonProperty(required = true) int schemaVersion,
    String clientId,
    @JsonProperty(required = true) int round,
    @JsonProperty(required = true) int attempt,
    @JsonProperty(required = true) int rank,
    @JsonProperty(required = true) long numSamples,
    @JsonProperty(required = true) long steps,
    @JsonProperty(required = true) double trainLoss,
    Map<String, Double> evalMetrics,
    @JsonProperty(required = true) double wallTimeSeconds,
    @JsonProperty(required = true) long peakMemoryBytes,
    String adapterModelSha256,
    String adapterConfigSha256) {

  /** The schema version this build writes: 2 added the adapter hashes. */
  public static final int SCHEMA_VERSION = 2;

  /** Validates the fields and copies the metrics map. */
  public ClientMetrics {
    SchemaVersions.check("metrics.json", schemaVersion, SCHEMA_VERSION);
    SchemaVersions.required("metrics.json", "clientId", clientId);
    if (round < 1 || attempt < 1 || rank < 1) {
      throw new IllegalArgumentException(
          "metrics.json of " + clientId + ": round, attempt and rank must be >= 1");
    }
    if (numSamples < 1) {
      throw new IllegalArgumentException(
          "metrics.json of " + clientId + ": numSamples must be >= 1, got " + numSamples);
    }
    for (String hash : new String[] {adapterModelSha256, adapterConfigSha256}) {
      if (hash != null && !Sha256.isHex(hash)) {
        throw new IllegalArgumentException(
            "metrics.json of " + clientId + ": adapter hashes must be 64 lower-case hex digits");
      }
    }
    evalMetrics =
        evalMetrics == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(evalMetrics));
  }

  /** These metrics with the SHA-256 (hex) of the uploaded adapter files. */
  public ClientMetrics withAdapterHashes(String modelSha256, String configSha256) {
    return new ClientMetrics(
        schemaVersion,
        clientId,
        round,
        attempt,
        rank,
        numSamples,
        steps,
        trainLoss,
        evalMetrics,
        wallTimeSeconds,
        peakMemoryBytes,
        modelSha256,
        configSha256);
  }
}
