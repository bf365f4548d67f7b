package dev.flotilla.core.protocol;

import dev.flotilla.core.spec.DurationStrings;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.spec.FederationStatus;
import dev.flotilla.core.spec.RoundSummary;
import dev.flotilla.core.storage.RoundManifest;
import dev.flotilla.core.storage.StorageLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One decision in the making: the observation, values derived from it (layout, clients, samples),
 * the status being edited and the actions collected so far.
 */
final class RoundContext {

  private final Observation observation;
  private final List<ClientRef> clients;
  private final StorageLayout layout;
  private final FederationStatus status;
  private final List<Action> actions = new ArrayList<>();
  private Duration requeueAfter;

  RoundContext(Observation observation, List<ClientRef> clients, FederationStatus status) {
    this.observation = observation;
    this.clients = clients;
    this.status = status;
    FederationSpec spec = observation.spec();
    this.layout =
        new StorageLayout(
            spec.getStorage().getBucket(), spec.getStorage().getPrefix(), observation.federation());
  }

  Observation observation() {
    return observation;
  }

  FederationSpec spec() {
    return observation.spec();
  }

  String federation() {
    return observation.federation();
  }

  Instant now() {
    return observation.now();
  }

  StorageLayout layout() {
    return layout;
  }

  /** All clients of the federation, sorted by id. */
  List<ClientRef> clients() {
    return clients;
  }

  /** The status being edited (a copy of the observed one). */
  FederationStatus status() {
    return status;
  }

  /** The current round summary; steps that need one run only when it is set. */
  RoundSummary round() {
    return status.getRound();
  }

  boolean suspended() {
    return Boolean.TRUE.equals(spec().getSuspend());
  }

  int minClients() {
    return spec().getSampling().getMinClients();
  }

  int maxRoundRetries() {
    return spec().getFailurePolicy().getMaxRoundRetries();
  }

  Duration roundTimeout() {
    return DurationStrings.parse("spec.roundTimeout", spec().getRoundTimeout());
  }

  /** The number of clients each round samples. */
  int sampleSize() {
    return ClientSampler.sampleSize(
        clients.size(),
        spec().getSampling().getClientsPerRound(),
        spec().getSampling().getFraction(),
        minClients());
  }

  /** The clients sampled for {@code round}, sorted by id. */
  List<ClientRef> sample(int round) {
    return ClientSampler.sample(clients, spec().getSampling().getSeed(), round, sampleSize());
  }

  /** The manifest of the highest committed round, if any. */
  Optional<RoundManifest> latestManifest() {
    return observation.latestManifest();
  }

  /** The observed workloads of one round. */
  List<Workload> workloadsOf(int round) {
    return observation.workloads().stream().filter(w -> w.round() == round).toList();
  }

  /** The highest attempt among the observed workloads of {@code round}, at least 1. */
  int highestObservedAttempt(int round) {
    return workloadsOf(round).stream().mapToInt(Workload::attempt).max().orElse(1);
  }

  void act(Action action) {
    actions.add(action);
  }

  void event(Action.EventType type, String reason, String message) {
    actions.add(new Action.EmitEvent(type, reason, message));
  }

  /** Deletes every observed workload of rounds up to {@code round}. */
  void deleteWorkloadsUpTo(int round, String reason) {
    for (Workload w : observation.workloads()) {
      if (w.round() <= round) {
        act(new Action.DeleteWorkload(w.name(), reason));
      }
    }
  }

  /** Asks to be called again after {@code delay} at the latest (the shortest request wins). */
  void requeue(Duration delay) {
    Duration d = delay.isNegative() ? Duration.ZERO : delay;
    requeueAfter = requeueAfter == null || d.compareTo(requeueAfter) < 0 ? d : requeueAfter;
  }

  /** Asks to be called again at {@code instant} (rounded up to whole seconds, at least 1 s). */
  void requeueAt(Instant instant) {
    Duration d = Duration.between(now(), instant);
    long seconds = Math.max(1, (d.toMillis() + 999) / 1000);
    requeue(Duration.ofSeconds(seconds));
  }

  Decision decision() {
    return new Decision(status, actions, Optional.ofNullable(requeueAfter));
  }
}
