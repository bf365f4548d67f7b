package dev.flotilla.core.storage;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The round plan ({@code plan.json}): which clients a round attempt trains, at which rank, from
 * which starting adapter. Written before any workload of the attempt starts; derived
 * deterministically from the spec, so rewriting it is idempotent.
 *
 * @param schemaVersion {@link #SCHEMA_VERSION}
 * @param federation federation name
 * @param round round number
 * @param attempt attempt number, from 1
 * @param baseRound committed round the starting adapters come from; 0: fresh adapters
 * @param globalRank rank of the global adapter this round aggregates to
 * @param clients the sampled clients, sorted by id
 */
public record RoundPlan(
    @JsonProperty(required = true) int schemaVersion,
    String federation,
    @JsonProperty(required = true) int round,
    @JsonProperty(required = true) int attempt,
    @JsonProperty(required = true) int baseRound,
    @JsonProperty(required = true) int globalRank,
    List<PlannedClient> clients) {

  /** The schema version this build writes. */
  public static final int SCHEMA_VERSION = 1;

  /** Validates the fields and copies the client list. */
  public RoundPlan {
    SchemaVersions.check("plan.json", schemaVersion, SCHEMA_VERSION);
    SchemaVersions.required("plan.json", "federation", federation);
    clients = List.copyOf(SchemaVersions.required("plan.json", "clients", clients));
  }

  /**
   * One sampled client.
   *
   * @param clientId client id
   * @param pool the ClientPool it comes from
   * @param rank its LoRA rank
   * @param dataUri its training data
   * @param startingAdapterPrefix key prefix of its starting adapter; null for fresh adapters
   */
  public record PlannedClient(
      String clientId, String pool, int rank, String dataUri, String startingAdapterPrefix) {

    /** Validates the required fields. */
    public PlannedClient {
      SchemaVersions.required("plan.json", "clientId", clientId);
      SchemaVersions.required("plan.json", "dataUri of " + clientId, dataUri);
      if (rank < 1) {
        throw new IllegalArgumentException("plan.json: rank of " + clientId + " must be >= 1");
      }
    }
  }
}
