package dev.flotilla.core.protocol;

import dev.flotilla.core.storage.RoundPlan;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Something the caller must do for a {@link Decision}: the operator maps actions to Kubernetes Jobs
 * and Events, the local runtime to processes and log lines, both through {@link DecisionApplier}.
 * Every action is idempotent: creating a workload whose name exists is a success, deleting a
 * missing one is a success.
 */
public sealed interface Action
    permits Action.WritePlan,
        Action.CreateTrainer,
        Action.CreateAggregator,
        Action.DeleteWorkload,
        Action.EmitEvent {

  /**
   * Hands this action to the method of {@code handler} for its type: adding an action type adds a
   * method every handler must implement, so no caller can ignore it silently.
   *
   * @return whether the caller should go on with the decision's next action
   */
  <X extends Exception> boolean accept(ActionHandler<X> handler) throws X;

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

    @Override
    public <X extends Exception> boolean accept(ActionHandler<X> handler) throws X {
      return handler.writePlan(this);
    }
  }

  /**
   * Start the trainer of one client for a round attempt. It uploads its adapter and {@code
   * metrics.json} (last) to the layout's client prefix of the round.
   *
   * @param name workload name ({@link WorkloadNames#trainer})
   * @param round round number
   * @param attempt round attempt
   * @param baseRound committed round whose rank adapter the client starts from; 0: fresh adapters
   * @param client the client, its rank and data
   * @param startingAdapterPrefix key prefix of the adapter to start from; null: fresh adapters
   * @param deadline when the attempt ends; the workload may be stopped after it
   */
  record CreateTrainer(
      String name,
      int round,
      int attempt,
      int baseRound,
      ClientRef client,
      String startingAdapterPrefix,
      Instant deadline)
      implements Action {
    @Override
    public <X extends Exception> boolean accept(ActionHandler<X> handler) throws X {
      return handler.createTrainer(this);
    }
  }

  /**
   * Start the aggregator of a round attempt; it writes the global and per-rank adapters, then the
   * manifest (the commit marker) last.
   *
   * @param name workload name ({@link WorkloadNames#aggregator})
   * @param round round number
   * @param attempt round attempt
   * @param baseRound committed round the clients started from; 0: fresh adapters
   * @param clients the clients whose trainer succeeded, sorted by id
   * @param clientAttempts for each of {@code clients}, the attempt of its successful trainer (whose
   *     upload the aggregator takes: uploads are keyed per attempt)
   * @param clientRanks every rank a client of the federation trains at, ascending: the aggregator
   *     redistributes the global adapter to each, so clients sampled later find their start
   * @param failedRounds rounds failed so far, recorded in the manifest
   * @param deadline when the aggregator is considered failed
   */
  record CreateAggregator(
      String name,
      int round,
      int attempt,
      int baseRound,
      List<ClientRef> clients,
      List<Integer> clientAttempts,
      List<Integer> clientRanks,
      int failedRounds,
      Instant deadline)
      implements Action {
    /** Copies the lists. */
    public CreateAggregator {
      clients = List.copyOf(clients);
      clientAttempts = List.copyOf(clientAttempts);
      clientRanks = List.copyOf(clientRanks);
      if (clientAttempts.size() != clients.size()) {
        throw new IllegalArgumentException(
            clientAttempts.size() + " client attempts for " + clients.size() + " clients");
      }
    }

    @Override
    public <X extends Exception> boolean accept(ActionHandler<X> handler) throws X {
      return handler.createAggregator(this);
    }
  }

  /**
   * Delete a workload (and its pods): an abandoned straggler or a finished round's leftovers.
   *
   * @param name workload name
   * @param reason why, for logs
   */
  record DeleteWorkload(String name, String reason) implements Action {
    @Override
    public <X extends Exception> boolean accept(ActionHandler<X> handler) throws X {
      return handler.deleteWorkload(this);
    }
  }

  /**
   * Report a transition to humans (a Kubernetes Event on the Federation).
   *
   * @param type Normal or Warning
   * @param reason CamelCase reason, e.g. {@code RoundCommitted}
   * @param message human-readable detail
   */
  record EmitEvent(EventType type, String reason, String message) implements Action {
    @Override
    public <X extends Exception> boolean accept(ActionHandler<X> handler) throws X {
      return handler.emitEvent(this);
    }
  }

  /** Kubernetes event types. */
  enum EventType {
    /** An expected transition. */
    Normal,
    /** Something failed or was abandoned. */
    Warning
  }
}
