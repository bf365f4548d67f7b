package dev.flotilla.aggregator;

import dev.flotilla.aggregator.UploadReader.StoredAdapter;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.core.storage.ClientMetrics;
import dev.flotilla.core.storage.RoundPlan.PlannedClient;
import dev.flotilla.core.storage.StorageLayout;
import java.util.Map;
import java.util.Objects;

/**
 * What one client's upload must satisfy on its own, every expectation taken from the federation
 * (the invocation) and the round plan, never from another client: {@code metrics.json} names this
 * client, round, attempt and planned rank, carries a finite loss and the SHA-256 of both adapter
 * files, which must match the bytes read; the adapter has the federation's {@code lora_alpha} and
 * task type, the planned rank in every module, and, when both the federation and the upload name a
 * base model, the same one ({@code base_model_name_or_path} is null for a model PEFT built from a
 * config, and only a label either way). The accepted adapter is renamed to the federation's base
 * model and task type, so no client chooses what the published adapters say.
 *
 * @param attempt the round attempt being aggregated
 * @param alpha the federation's {@code lora_alpha}
 * @param taskType the federation's task type
 * @param baseModel the federation's base model name, or null when unknown (not compared)
 * @param clientAttempts the attempt of each client's successful trainer (uploads are keyed per
 *     attempt); a client not named here is expected at {@code attempt}
 */
public record UploadChecks(
    int attempt,
    double alpha,
    TaskType taskType,
    String baseModel,
    Map<String, Integer> clientAttempts) {

  /** Checks whose every upload is of {@code attempt}. */
  public UploadChecks(int attempt, double alpha, TaskType taskType, String baseModel) {
    this(attempt, alpha, taskType, baseModel, Map.of());
  }

  /** Copies the map. */
  public UploadChecks {
    clientAttempts = Map.copyOf(clientAttempts);
  }

  /**
   * The attempt whose upload of {@code clientId} is aggregated: the attempt of its successful
   * trainer when the invocation names it, else the round attempt.
   */
  int attemptOf(String clientId) {
    return clientAttempts.getOrDefault(clientId, attempt);
  }

  /** Checks {@code metrics.json} before the adapter files are read. */
  void checkMetrics(PlannedClient client, int round, ClientMetrics metrics)
      throws RejectedUploadException {
    if (!metrics.clientId().equals(client.clientId())) {
      throw new RejectedUploadException(
          "metrics.json names client " + metrics.clientId() + ", not " + client.clientId());
    }
    if (metrics.round() != round) {
      throw new RejectedUploadException(
          "metrics.json is for round " + metrics.round() + ", expected round " + round);
    }
    if (metrics.attempt() != attemptOf(client.clientId())) {
      throw new RejectedUploadException(
          "metrics.json is for attempt "
              + metrics.attempt()
              + ", expected the upload of attempt "
              + attemptOf(client.clientId()));
    }
    if (metrics.rank() != client.rank()) {
      throw new RejectedUploadException(
          "metrics.json reports rank "
              + metrics.rank()
              + " for a rank-"
              + client.rank()
              + " client");
    }
    if (!Double.isFinite(metrics.trainLoss())) {
      throw new RejectedUploadException(
          "metrics.json trainLoss " + metrics.trainLoss() + " is not a finite number");
    }
    if (metrics.adapterModelSha256() == null || metrics.adapterConfigSha256() == null) {
      throw new RejectedUploadException(
          "metrics.json has no adapter hashes (schemaVersion "
              + metrics.schemaVersion()
              + "; this aggregator needs "
              + ClientMetrics.SCHEMA_VERSION
              + ")");
    }
  }

  /** Checks the adapter against its metrics and the federation; returns the accepted upload. */
  ClientUpload accept(PlannedClient client, ClientMetrics metrics, StoredAdapter stored)
      throws RejectedUploadException {
    checkHash(StorageLayout.ADAPTER_MODEL, stored.modelSha256(), metrics.adapterModelSha256());
    checkHash(StorageLayout.ADAPTER_CONFIG, stored.configSha256(), metrics.adapterConfigSha256());
    LoraAdapter adapter = stored.adapter();
    if (adapter.alpha() != alpha) {
      throw new RejectedUploadException(
          "lora_alpha " + adapter.alpha() + " differs from the federation's " + alpha);
    }
    if (adapter.taskType() != taskType) {
      throw new RejectedUploadException(
          "task_type " + adapter.taskType() + " differs from the federation's " + taskType);
    }
    if (baseModel != null
        && adapter.baseModel() != null
        && !adapter.baseModel().equals(baseModel)) {
      throw new RejectedUploadException(
          "base_model_name_or_path "
              + adapter.baseModel()
              + " differs from the federation's "
              + baseModel);
    }
    if (adapter.modules().isEmpty()) {
      throw new RejectedUploadException("adapter has no LoRA modules");
    }
    for (LoraModule module : adapter.modules().values()) {
      if (module.rank() != client.rank()) {
        throw new RejectedUploadException(
            "rank "
                + module.rank()
                + " upload for a rank-"
                + client.rank()
                + " client (module "
                + module.name()
                + ")");
      }
    }
    return new ClientUpload(
        client.clientId(),
        client.rank(),
        metrics,
        federationNamed(adapter),
        stored.modelSha256(),
        stored.configSha256());
  }

  private static void checkHash(String file, String actual, String declared)
      throws RejectedUploadException {
    if (!Objects.equals(actual, declared)) {
      throw new RejectedUploadException(
          file + " has SHA-256 " + actual + ", metrics.json says " + declared);
    }
  }

  private LoraAdapter federationNamed(LoraAdapter adapter) {
    return new LoraAdapter(
        baseModel,
        taskType,
        adapter.alpha(),
        adapter.dropout(),
        adapter.targetModules(),
        adapter.modules(),
        adapter.modulesToSave(),
        adapter.extraTensors());
  }
}
