package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * Progress of one round attempt; per-client detail lives in object storage (plan.json,
 * manifest.json).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RoundSummary {

  @JsonPropertyDescription("Round number, from 1.")
  private Integer round;

  @JsonPropertyDescription(
      "Attempt of this round, from 1; a retry re-runs the clients that did not succeed.")
  private Integer attempt;

  @JsonPropertyDescription(
      "The committed round whose adapters this round starts from; 0: fresh adapters.")
  private Integer baseRound;

  @JsonPropertyDescription("Number of clients sampled for this round.")
  private Integer sampled;

  @JsonPropertyDescription("Trainers pending or running.")
  private Integer running;

  @JsonPropertyDescription("Clients whose trainer succeeded.")
  private Integer succeeded;

  @JsonPropertyDescription("Clients whose trainer failed in the latest attempt.")
  private Integer failed;

  @JsonPropertyDescription("RFC 3339 start of the current attempt.")
  private String startedAt;

  @JsonPropertyDescription("RFC 3339 deadline of the current attempt (startedAt + roundTimeout).")
  private String deadline;

  @JsonPropertyDescription("RFC 3339 end of the round (commit or failure).")
  private String finishedAt;

  @JsonPropertyDescription("Sample-weighted mean final training loss of the accepted clients.")
  private Double meanTrainLoss;

  @JsonPropertyDescription(
      "Evaluation metric of the global adapter (accuracy, or loss for CAUSAL_LM).")
  private Double evalMetric;

  @JsonPropertyDescription("Committed or Failed once the round has ended; absent while it runs.")
  private RoundOutcome outcome;

  @JsonPropertyDescription("Why the round ended this way, when it failed.")
  private String message;

  /** Returns round: round number, from 1. */
  public Integer getRound() {
    return round;
  }

  /** Sets round. */
  public void setRound(Integer round) {
    this.round = round;
  }

  /**
   * Returns attempt: attempt of this round, from 1; a retry re-runs the clients that did not
   * succeed.
   */
  public Integer getAttempt() {
    return attempt;
  }

  /** Sets attempt. */
  public void setAttempt(Integer attempt) {
    this.attempt = attempt;
  }

  /**
   * Returns baseRound: the committed round whose adapters this round starts from; 0: fresh
   * adapters.
   */
  public Integer getBaseRound() {
    return baseRound;
  }

  /** Sets baseRound. */
  public void setBaseRound(Integer baseRound) {
    this.baseRound = baseRound;
  }

  /** Returns sampled: number of clients sampled for this round. */
  public Integer getSampled() {
    return sampled;
  }

  /** Sets sampled. */
  public void setSampled(Integer sampled) {
    this.sampled = sampled;
  }

  /** Returns running: trainers pending or running. */
  public Integer getRunning() {
    return running;
  }

  /** Sets running. */
  public void setRunning(Integer running) {
    this.running = running;
  }

  /** Returns succeeded: clients whose trainer succeeded. */
  public Integer getSucceeded() {
    return succeeded;
  }

  /** Sets succeeded. */
  public void setSucceeded(Integer succeeded) {
    this.succeeded = succeeded;
  }

  /** Returns failed: clients whose trainer failed in the latest attempt. */
  public Integer getFailed() {
    return failed;
  }

  /** Sets failed. */
  public void setFailed(Integer failed) {
    this.failed = failed;
  }

  /** Returns startedAt: rFC 3339 start of the current attempt. */
  public String getStartedAt() {
    return startedAt;
  }

  /** Sets startedAt. */
  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  /** Returns deadline: rFC 3339 deadline of the current attempt (startedAt + roundTimeout). */
  public String getDeadline() {
    return deadline;
  }

  /** Sets deadline. */
  public void setDeadline(String deadline) {
    this.deadline = deadline;
  }

  /** Returns finishedAt: rFC 3339 end of the round (commit or failure). */
  public String getFinishedAt() {
    return finishedAt;
  }

  /** Sets finishedAt. */
  public void setFinishedAt(String finishedAt) {
    this.finishedAt = finishedAt;
  }

  /** Returns meanTrainLoss: sample-weighted mean final training loss of the accepted clients. */
  public Double getMeanTrainLoss() {
    return meanTrainLoss;
  }

  /** Sets meanTrainLoss. */
  public void setMeanTrainLoss(Double meanTrainLoss) {
    this.meanTrainLoss = meanTrainLoss;
  }

  /**
   * Returns evalMetric: evaluation metric of the global adapter (accuracy, or loss for CAUSAL_LM).
   */
  public Double getEvalMetric() {
    return evalMetric;
  }

  /** Sets evalMetric. */
  public void setEvalMetric(Double evalMetric) {
    this.evalMetric = evalMetric;
  }

  /** Returns outcome: committed or Failed once the round has ended; absent while it runs. */
  public RoundOutcome getOutcome() {
    return outcome;
  }

  /** Sets outcome. */
  public void setOutcome(RoundOutcome outcome) {
    this.outcome = outcome;
  }

  /** Returns message: why the round ended this way, when it failed. */
  public String getMessage() {
    return message;
  }

  /** Sets message. */
  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RoundSummary)) {
      return false;
    }
    RoundSummary other = (RoundSummary) o;
    return Objects.equals(round, other.round)
        && Objects.equals(attempt, other.attempt)
        && Objects.equals(baseRound, other.baseRound)
        && Objects.equals(sampled, other.sampled)
        && Objects.equals(running, other.running)
        && Objects.equals(succeeded, other.succeeded)
        && Objects.equals(failed, other.failed)
        && Objects.equals(startedAt, other.startedAt)
        && Objects.equals(deadline, other.deadline)
        && Objects.equals(finishedAt, other.finishedAt)
        && Objects.equals(meanTrainLoss, other.meanTrainLoss)
        && Objects.equals(evalMetric, other.evalMetric)
        && Objects.equals(outcome, other.outcome)
        && Objects.equals(message, other.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        round,
        attempt,
        baseRound,
        sampled,
        running,
        succeeded,
        failed,
        startedAt,
        deadline,
        finishedAt,
        meanTrainLoss,
        evalMetric,
        outcome,
        message);
  }
}
