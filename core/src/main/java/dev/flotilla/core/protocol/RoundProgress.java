package dev.flotilla.core.protocol;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each sampled client of a round stands, from the observed trainers of that round. A client
 * succeeded if any of its trainers succeeded; otherwise its latest trainer (highest attempt)
 * decides: active, failed in this attempt, given up (non-retriable failure), or in need of a new
 * trainer (none yet, or a retriable failure in an earlier attempt).
 *
 * @param succeeded clients with a successful trainer
 * @param succeededAttempts for each of {@code succeeded}, the attempt of its successful trainer
 *     (the latest, should there be two), whose upload the round aggregates
 * @param active clients whose latest trainer is pending or running
 * @param failed clients whose trainer failed in the current attempt (retriable or not)
 * @param givenUp clients whose trainer failed in an earlier attempt with a non-retriable failure
 * @param needsTrainer clients that need a trainer in the current attempt
 * @param retriableFailures how many of {@code failed} may succeed when run again
 */
public record RoundProgress(
    List<ClientRef> succeeded,
    List<Integer> succeededAttempts,
    List<ClientRef> active,
    List<ClientRef> failed,
    List<ClientRef> givenUp,
    List<ClientRef> needsTrainer,
    int retriableFailures) {

  /** Classifies {@code sampled} for {@code round} at {@code attempt} from {@code workloads}. */
  public static RoundProgress of(
      List<ClientRef> sampled, List<Workload> workloads, int round, int attempt) {
    Map<String, Workload> latest = new HashMap<>();
    Map<String, Integer> successAttempt = new HashMap<>();
    for (Workload w : workloads) {
      if (w.kind() != WorkloadKind.TRAINER || w.round() != round) {
        continue;
      }
      if (w.state() == WorkloadState.SUCCEEDED) {
        successAttempt.merge(w.clientId(), w.attempt(), Math::max);
      }
      Workload previous = latest.get(w.clientId());
      if (previous == null || w.attempt() > previous.attempt()) {
        latest.put(w.clientId(), w);
      }
    }
    List<ClientRef> succeeded = new ArrayList<>();
    List<Integer> succeededAttempts = new ArrayList<>();
    List<ClientRef> active = new ArrayList<>();
    List<ClientRef> failed = new ArrayList<>();
    List<ClientRef> givenUp = new ArrayList<>();
    List<ClientRef> needsTrainer = new ArrayList<>();
    int retriable = 0;
    for (ClientRef client : sampled) {
      Workload w = latest.get(client.id());
      if (successAttempt.containsKey(client.id())) {
        succeeded.add(client);
        succeededAttempts.add(successAttempt.get(client.id()));
      } else if (w == null) {
        needsTrainer.add(client);
      } else if (w.state().isActive()) {
        active.add(client);
      } else if (w.attempt() >= attempt) {
        failed.add(client);
        retriable += w.retriable() ? 1 : 0;
      } else if (w.retriable()) {
        needsTrainer.add(client);
      } else {
        givenUp.add(client);
      }
    }
    return new RoundProgress(
        succeeded, succeededAttempts, active, failed, givenUp, needsTrainer, retriable);
  }

  /** Whether no client is running or waiting for a trainer. */
  public boolean allFinished() {
    return active.isEmpty() && needsTrainer.isEmpty();
  }
}
