package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** Desired state of a Federation: a federated LoRA fine-tuning run over ClientPools. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FederationSpec {

  @JsonPropertyDescription("The frozen base model.")
  @Required
  private BaseModelSpec baseModel;

  @JsonPropertyDescription("The fine-tuning task.")
  @Required
  private TaskSpec task;

  @JsonPropertyDescription(
      "Number of federated rounds, at most 10000: the operator finds the latest committed round"
          + " with one listing of the manifests (ten 1000-key pages at most).")
  @Required
  @Min(1)
  @Max(SpecBounds.ROUNDS)
  private Integer rounds;

  @JsonPropertyDescription("Per-round client sampling.")
  @Required
  private SamplingSpec sampling;

  @JsonPropertyDescription(
      "Deadline of one round attempt, e.g. 30m or 1h30m, from 1s to 168h (a week: longer"
          + " deadlines only keep a stuck round's Jobs alive); at the deadline the round"
          + " aggregates if minClients succeeded.")
  @Default("30m")
  @Pattern(SpecBounds.DURATION_PATTERN)
  @Size(max = SpecBounds.DURATION_STRING)
  @ValidationRule(
      value =
          "!self.matches('"
              + SpecBounds.DURATION_PATTERN
              + "') || (duration(self) >= duration('1s') && duration(self) <= duration('168h'))",
      message = "roundTimeout must be between 1s and 168h")
  private String roundTimeout = "30m";

  @JsonPropertyDescription("Aggregation strategy and global rank.")
  private AggregationSpec aggregation = new AggregationSpec();

  @JsonPropertyDescription("LoRA hyper-parameters.")
  private LoraSpec lora = new LoraSpec();

  @JsonPropertyDescription("Local training hyper-parameters.")
  private TrainingSpec training = new TrainingSpec();

  @JsonPropertyDescription("Object store for adapters and manifests.")
  @Required
  private StorageSpec storage;

  @JsonPropertyDescription("Held-out evaluation set; omitted: no evaluation.")
  private EvaluationSpec evaluation;

  @JsonPropertyDescription("The ClientPools providing clients.")
  @Required
  private ClientPoolSelector clientPools;

  @JsonPropertyDescription("Workload images.")
  private ImagesSpec images = new ImagesSpec();

  @JsonPropertyDescription("Retries and tolerated failed rounds.")
  private FailurePolicySpec failurePolicy = new FailurePolicySpec();

  @JsonPropertyDescription(
      "Suspend: no new workloads are started; running ones finish; false resumes.")
  @Default("false")
  private Boolean suspend = Boolean.FALSE;

  /** Returns baseModel: the frozen base model. */
  public BaseModelSpec getBaseModel() {
    return baseModel;
  }

  /** Sets baseModel. */
  public void setBaseModel(BaseModelSpec baseModel) {
    this.baseModel = baseModel;
  }

  /** Returns task: the fine-tuning task. */
  public TaskSpec getTask() {
    return task;
  }

  /** Sets task. */
  public void setTask(TaskSpec task) {
    this.task = task;
  }

  /** Returns rounds: number of federated rounds. */
  public Integer getRounds() {
    return rounds;
  }

  /** Sets rounds. */
  public void setRounds(Integer rounds) {
    this.rounds = rounds;
  }

  /** Returns sampling: per-round client sampling. */
  public SamplingSpec getSampling() {
    return sampling;
  }

  /** Sets sampling. */
  public void setSampling(SamplingSpec sampling) {
    this.sampling = sampling;
  }

  /** Returns roundTimeout: deadline of one round attempt, e.g. */
  public String getRoundTimeout() {
    return roundTimeout;
  }

  /** Sets roundTimeout. */
  public void setRoundTimeout(String roundTimeout) {
    this.roundTimeout = roundTimeout;
  }

  /** Returns aggregation: aggregation strategy and global rank. */
  public AggregationSpec getAggregation() {
    return aggregation;
  }

  /** Sets aggregation. */
  public void setAggregation(AggregationSpec aggregation) {
    this.aggregation = aggregation;
  }

  /** Returns lora: loRA hyper-parameters. */
  public LoraSpec getLora() {
    return lora;
  }

  /** Sets lora. */
  public void setLora(LoraSpec lora) {
    this.lora = lora;
  }

  /** Returns training: local training hyper-parameters. */
  public TrainingSpec getTraining() {
    return training;
  }

  /** Sets training. */
  public void setTraining(TrainingSpec training) {
    this.training = training;
  }

  /** Returns storage: object store for adapters and manifests. */
  public StorageSpec getStorage() {
    return storage;
  }

  /** Sets storage. */
  public void setStorage(StorageSpec storage) {
    this.storage = storage;
  }

  /** Returns evaluation: held-out evaluation set; omitted: no evaluation. */
  public EvaluationSpec getEvaluation() {
    return evaluation;
  }

  /** Sets evaluation. */
  public void setEvaluation(EvaluationSpec evaluation) {
    this.evaluation = evaluation;
  }

  /** Returns clientPools: the ClientPools providing clients. */
  public ClientPoolSelector getClientPools() {
    return clientPools;
  }

  /** Sets clientPools. */
  public void setClientPools(ClientPoolSelector clientPools) {
    this.clientPools = clientPools;
  }

  /** Returns images: workload images. */
  public ImagesSpec getImages() {
    return images;
  }

  /** Sets images. */
  public void setImages(ImagesSpec images) {
    this.images = images;
  }

  /** Returns failurePolicy: retries and tolerated failed rounds. */
  public FailurePolicySpec getFailurePolicy() {
    return failurePolicy;
  }

  /** Sets failurePolicy. */
  public void setFailurePolicy(FailurePolicySpec failurePolicy) {
    this.failurePolicy = failurePolicy;
  }

  /** Returns suspend: suspend: no new workloads are started; running ones finish; false resumes. */
  public Boolean getSuspend() {
    return suspend;
  }

  /** Sets suspend. */
  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof FederationSpec)) {
      return false;
    }
    FederationSpec other = (FederationSpec) o;
    return Objects.equals(baseModel, other.baseModel)
        && Objects.equals(task, other.task)
        && Objects.equals(rounds, other.rounds)
        && Objects.equals(sampling, other.sampling)
        && Objects.equals(roundTimeout, other.roundTimeout)
        && Objects.equals(aggregation, other.aggregation)
        && Objects.equals(lora, other.lora)
        && Objects.equals(training, other.training)
        && Objects.equals(storage, other.storage)
        && Objects.equals(evaluation, other.evaluation)
        && Objects.equals(clientPools, other.clientPools)
        && Objects.equals(images, other.images)
        && Objects.equals(failurePolicy, other.failurePolicy)
        && Objects.equals(suspend, other.suspend);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        baseModel,
        task,
        rounds,
        sampling,
        roundTimeout,
        aggregation,
        lora,
        training,
        storage,
        evaluation,
        clientPools,
        images,
        failurePolicy,
        suspend);
  }
}
