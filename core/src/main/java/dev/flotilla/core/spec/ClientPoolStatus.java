package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** Observed state of a ClientPool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClientPoolStatus {

  @JsonPropertyDescription("Number of clients in the pool.")
  private Integer clients;

  @JsonPropertyDescription("The metadata.generation last validated.")
  private Long observedGeneration;

  @JsonPropertyDescription("Ready condition (False with the reason when the spec is invalid).")
  private List<Condition> conditions;

  /** Returns clients: number of clients in the pool. */
  public Integer getClients() {
    return clients;
  }

  /** Sets clients. */
  public void setClients(Integer clients) {
    this.clients = clients;
  }

  /** Returns observedGeneration: the metadata.generation last validated. */
  public Long getObservedGeneration() {
    return observedGeneration;
  }

  /** Sets observedGeneration. */
  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  /** Returns conditions: ready condition (False with the reason when the spec is invalid). */
  public List<Condition> getConditions() {
    return conditions;
  }

  /** Sets conditions. */
  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ClientPoolStatus)) {
      return false;
    }
    ClientPoolStatus other = (ClientPoolStatus) o;
    return Objects.equals(clients, other.clients)
        && Objects.equals(observedGeneration, other.observedGeneration)
        && Objects.equals(conditions, other.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(clients, observedGeneration, conditions);
  }
}
