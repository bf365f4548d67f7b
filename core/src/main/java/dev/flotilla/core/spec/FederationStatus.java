package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Objects;

/** Observed state of a Federation; bounded in size whatever the number of clients. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FederationStatus {

  @JsonPropertyDescription("Lifecycle phase.")
  private FederationPhase phase;

  @JsonPropertyDescription("The metadata.generation last acted on.")
  private Long observedGeneration;

  @JsonPropertyDescription("The round in progress, or the last round once Completed.")
  private Integer currentRound;

  @JsonPropertyDescription("Highest round whose manifest is in object storage; 0: none.")
  private Integer lastCommittedRound;

  @JsonPropertyDescription("Number of clients across the selected ClientPools.")
  private Integer totalClients;

  @JsonPropertyDescription(
      "The current round attempt (the intent recorded before workloads are created).")
  private RoundSummary round;

  @JsonPropertyDescription("The last ended rounds, oldest first, at most 10.")
  @Size(max = 10)
  private List<RoundSummary> history;

  @JsonPropertyDescription("s3:// prefix of the latest committed global adapter.")
  private String globalAdapterUri;

  @JsonPropertyDescription("Number of rounds that failed.")
  private Integer failedRounds;

  @JsonPropertyDescription("Ready, Progressing and Degraded conditions.")
  private List<Condition> conditions;

  @JsonPropertyDescription(
      "Clients that failed (or whose upload was rejected) in the latest committed round they were"
          + " sampled in, by id, at most 20; a Completed federation with any is Degraded.")
  @Size(max = 20)
  private List<ClientFailure> failingClients;

  /** Returns phase: lifecycle phase. */
  public FederationPhase getPhase() {
    return phase;
  }

  /** Sets phase. */
  public void setPhase(FederationPhase phase) {
    this.phase = phase;
  }

  /** Returns observedGeneration: the metadata.generation last acted on. */
  public Long getObservedGeneration() {
    return observedGeneration;
  }

  /** Sets observedGeneration. */
  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  /** Returns currentRound: the round in progress, or the last round once Completed. */
  public Integer getCurrentRound() {
    return currentRound;
  }

  /** Sets currentRound. */
  public void setCurrentRound(Integer currentRound) {
    this.currentRound = currentRound;
  }

  /** Returns lastCommittedRound: highest round whose manifest is in object storage; 0: none. */
  public Integer getLastCommittedRound() {
    return lastCommittedRound;
  }

  /** Sets lastCommittedRound. */
  public void setLastCommittedRound(Integer lastCommittedRound) {
    this.lastCommittedRound = lastCommittedRound;
  }

  /** Returns totalClients: number of clients across the selected ClientPools. */
  public Integer getTotalClients() {
    return totalClients;
  }

  /** Sets totalClients. */
  public void setTotalClients(Integer totalClients) {
    this.totalClients = totalClients;
  }

  /**
   * Returns round: the current round attempt (the intent recorded before workloads are created).
   */
  public RoundSummary getRound() {
    return round;
  }

  /** Sets round. */
  public void setRound(RoundSummary round) {
    this.round = round;
  }

  /** Returns history: the last ended rounds, oldest first, at most 10. */
  public List<RoundSummary> getHistory() {
    return history;
  }

  /** Sets history. */
  public void setHistory(List<RoundSummary> history) {
    this.history = history;
  }

  /** Returns globalAdapterUri: s3:// prefix of the latest committed global adapter. */
  public String getGlobalAdapterUri() {
    return globalAdapterUri;
  }

  /** Sets globalAdapterUri. */
  public void setGlobalAdapterUri(String globalAdapterUri) {
    this.globalAdapterUri = globalAdapterUri;
  }

  /** Returns failedRounds: number of rounds that failed. */
  public Integer getFailedRounds() {
    return failedRounds;
  }

  /** Sets failedRounds. */
  public void setFailedRounds(Integer failedRounds) {
    this.failedRounds = failedRounds;
  }

  /** Returns conditions: ready, Progressing and Degraded conditions. */
  public List<Condition> getConditions() {
    return conditions;
  }

  /** Sets conditions. */
  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  /** Returns failingClients: clients that failed in the latest round they were sampled in. */
  public List<ClientFailure> getFailingClients() {
    return failingClients;
  }

  /** Sets failingClients. */
  public void setFailingClients(List<ClientFailure> failingClients) {
    this.failingClients = failingClients;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof FederationStatus)) {
      return false;
    }
    FederationStatus other = (FederationStatus) o;
    return Objects.equals(phase, other.phase)
        && Objects.equals(observedGeneration, other.observedGeneration)
        && Objects.equals(currentRound, other.currentRound)
        && Objects.equals(lastCommittedRound, other.lastCommittedRound)
        && Objects.equals(totalClients, other.totalClients)
        && Objects.equals(round, other.round)
        && Objects.equals(history, other.history)
        && Objects.equals(globalAdapterUri, other.globalAdapterUri)
        && Objects.equals(failedRounds, other.failedRounds)
        && Objects.equals(conditions, other.conditions)
        && Objects.equals(failingClients, other.failingClients);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        phase,
        observedGeneration,
        currentRound,
        lastCommittedRound,
        totalClients,
        round,
        history,
        globalAdapterUri,
        failedRounds,
        conditions,
        failingClients);
  }
}
