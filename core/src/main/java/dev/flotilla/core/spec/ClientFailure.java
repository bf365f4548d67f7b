package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A client whose latest sampled rounds all failed or were rejected, with the latest reason. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClientFailure {

  @JsonPropertyDescription("Client id.")
  private String clientId;

  @JsonPropertyDescription(
      "Committed rounds in a row, up to the latest one the client was sampled in, that it failed.")
  private Integer rounds;

  @JsonPropertyDescription("Why it failed or was rejected in the latest of them.")
  private String reason;

  /** An empty failure, for deserialisation. */
  public ClientFailure() {}

  /**
   * A failure of {@code clientId} in {@code rounds} rounds in a row, the latest for {@code reason}.
   */
  public ClientFailure(String clientId, int rounds, String reason) {
    this.clientId = clientId;
    this.rounds = rounds;
    this.reason = reason;
  }

  /** Returns clientId: client id. */
  public String getClientId() {
    return clientId;
  }

  /** Sets clientId. */
  public void setClientId(String clientId) {
    this.clientId = clientId;
  }

  /** Returns rounds: committed rounds in a row the client failed. */
  public Integer getRounds() {
    return rounds;
  }

  /** Sets rounds. */
  public void setRounds(Integer rounds) {
    this.rounds = rounds;
  }

  /** Returns reason: why it failed or was rejected in the latest of them. */
  public String getReason() {
    return reason;
  }

  /** Sets reason. */
  public void setReason(String reason) {
    this.reason = reason;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ClientFailure)) {
      return false;
    }
    ClientFailure other = (ClientFailure) o;
    return Objects.equals(clientId, other.clientId)
        && Objects.equals(rounds, other.rounds)
        && Objects.equals(reason, other.reason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(clientId, rounds, reason);
  }
}
