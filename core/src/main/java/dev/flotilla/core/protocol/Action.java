package dev.flotilla.core.protocol;

import dev.flotilla.core.storage.RoundPlan;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Something the caller must do for a {@link Decision}: the operator maps actions to Kubernetes Jobs
 * and Events, the local runtime to processes and log lines. Every action is idempotent: creating a
 * workload whose name exists is a success, deleting a missing one is a success.
 */
public sealed interface Action
    permits Action.WritePlan,
        Action.CreateTrainer,
        Action.CreateAggregator,
        Action.DeleteWorkload,
        Action.EmitEvent {

  /**
   * Write the round plan to {@code key} (before the attempt's trainers are created).
   *
   * @param key object key of {@code plan.json}
   * @param plan the plan
   */
  record WritePlan(String key, RoundPlan plan) implements Action {
    /** Checks the fields. */
    public WritePlan {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(plan, "plan");
    }
  }

  /**
   * Start the trainer of one client for a round attempt.
   *
   * @param name workload name ({@link WorkloadNames#trainer})
   * @param round round number
   * @param attempt round attempt
   * @param client the client, its rank and data
   * @param startingAdapterPrefix key prefix of the adapter to start from; null: fresh adapters
   * @param outputPrefix key prefix to upload the adapter and {@code metrics.json} (last) to
   * @param planKey key of the round plan
   * @param deadline when the attempt ends; the workload may be stopped after it
   */
  record CreateTrainer(
      String name,
      int round,
      int attempt,
      ClientRef client,
      String startingAdapterPrefix,
      String outputPrefix,
      String planKey,
      Instant deadline)
      implements Action {}

  /**
   * Start the aggregator of a round attempt; it writes the global and per-rank adapters, then the
   * manifest (the commit marker) last.
   *
   * @param name workload name ({@link WorkloadNames#aggregator})
   * @param round round number
   * @param attempt round attempt
   * @param baseRound committed round the clients started from; 0: fresh adapters
   * @param clients the clients whose trainer succeeded, sorted by id
   * @param failedClients sampled clients without a successful trainer, sorted by id
   * @param planKey key of the round plan
   * @param manifestKey key the manifest must be written to
   * @param deadline when the aggregator is considered failed
   */
  record CreateAggregator(
      String name,
      int round,
      int attempt,
      int baseRound,
      List<ClientRef> clients,
      List<String> failedClients,
      String planKey,
      String manifestKey,
      Instant deadline)
      implements Action {
    /** Copies the lists. */
    public CreateAggregator {
      clients = List.copyOf(clients);
      failedClients = List.copyOf(failedClients);
    }
  }

  /**
   * Delete a workload (and its pods): an abandoned straggler or a finished round's leftovers.
   *
   * @param name workload name
   * @param reason why, for logs
   */
  record DeleteWorkload(String name, String reason) implements Action {}

  /**
   * Report a transition to humans (a Kubernetes Event on the Federation).
   *
   * @param type Normal or Warning
   * @param reason CamelCase reason, e.g. {@code RoundCommitted}
   * @param message human-readable detail
   */
  record EmitEvent(EventType type, String reason, String message) implements Action {}

  /** Kubernetes event types. */
  enum EventType {
    /** An expected transition. */
    Normal,
    /** Something failed or was abandoned. */
    Warning
  }
}
