package dev.flotilla.core.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reads and writes a federation's plans, manifests and client metrics in an object store. */
public final class RoundStore {

  private final ObjectStore store;
  private final StorageLayout layout;

  /** A store of the documents of {@code layout}'s federation. */
  public RoundStore(ObjectStore store, StorageLayout layout) {
    this.store = store;
    this.layout = layout;
  }

  /** The object store holding the documents. */
  public ObjectStore store() {
    return store;
  }

  /** The layout of the keys. */
  public StorageLayout layout() {
    return layout;
  }

  /** Writes (or rewrites) the plan of {@code plan.round()}. */
  public void writePlan(RoundPlan plan) throws IOException {
    store.put(layout.planKey(plan.round()), StorageJson.write(plan));
  }

  /** The plan of a round, if written. */
  public Optional<RoundPlan> readPlan(int round) throws IOException {
    return read(layout.planKey(round), RoundPlan.class);
  }

  /**
   * Writes a round's commit marker unless one exists (a conditional write: of two aggregators
   * racing on a round, exactly one commits). Call only after all of the round's adapters are
   * stored.
   *
   * @return true when this call committed the round, false when it was committed already
   */
  public boolean createManifest(RoundManifest manifest) throws IOException {
    return store.putIfAbsent(layout.manifestKey(manifest.round()), StorageJson.write(manifest));
  }

  /**
   * The manifest of a round, if the round is committed.
   *
   * @throws ForeignDataException when the manifest names another federation or round than its key
   */
  public Optional<RoundManifest> readManifest(int round) throws IOException {
    String key = layout.manifestKey(round);
    Optional<RoundManifest> manifest = read(key, RoundManifest.class);
    if (manifest.isPresent()
        && (manifest.get().round() != round
            || !layout.federation().equals(manifest.get().federation()))) {
      throw new ForeignDataException(
          key
              + " says federation "
              + manifest.get().federation()
              + " round "
              + manifest.get().round()
              + ": refused, a manifest must name the federation and round of its key");
    }
    return manifest;
  }

  /**
   * Claims the federation's prefix for {@code owner} (a conditional write of {@code owner.json}),
   * or checks an earlier claim.
   *
   * @throws ForeignDataException when another Federation owns the prefix
   */
  public void claim(FederationOwner owner) throws IOException {
    String key = layout.ownerKey();
    if (store.putIfAbsent(key, StorageJson.write(owner))) {
      return;
    }
    FederationOwner found =
        read(key, FederationOwner.class)
            .orElseThrow(() -> new IOException(key + " vanished while it was being claimed"));
    if (!found.sameAs(owner)) {
      throw new ForeignDataException(
          layout.uri(layout.root())
              + " belongs to Federation "
              + found
              + ", not to "
              + owner
              + ": refusing to adopt its rounds; use another storage prefix");
    }
  }

  /** Whether the round is committed. */
  public boolean isCommitted(int round) throws IOException {
    return store.exists(layout.manifestKey(round));
  }

  /**
   * The manifest of the highest committed round in {@code [downTo, from]}: one delimited listing of
   * the round directories (one entry per started round, not per object), then a read of the
   * manifest of each started round from the highest down until one is committed. Rounds that were
   * never started cost nothing, so a Federation of 10,000 rounds is not probed 10,000 times.
   */
  public Optional<RoundManifest> latestCommitted(int from, int downTo) throws IOException {
    int lowest = Math.max(1, downTo);
    List<Integer> started = new ArrayList<>();
    for (String directory : store.listDirectories(layout.roundsPrefix())) {
      int round = roundNumber(directory);
      if (round >= lowest && round <= from) {
        started.add(round);
      }
    }
    started.sort(Comparator.reverseOrder());
    for (int round : started) {
      Optional<RoundManifest> manifest = readManifest(round);
      if (manifest.isPresent()) {
        return manifest;
      }
    }
    return Optional.empty();
  }

  /** The round of a round directory name ({@code 0007}), or -1 for anything else. */
  private static int roundNumber(String directory) {
    if (directory.isEmpty()
        || directory.length() > 9
        || !directory.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    return Integer.parseInt(directory);
  }

  /** Writes a client's {@code metrics.json}; call after its adapter files are uploaded. */
  public void writeClientMetrics(ClientMetrics metrics) throws IOException {
    store.put(
        layout.clientMetrics(metrics.round(), metrics.clientId(), metrics.attempt()),
        StorageJson.write(metrics));
  }

  /** A client's metrics for a round attempt, if its upload is complete. */
  public Optional<ClientMetrics> readClientMetrics(int round, String clientId, int attempt)
      throws IOException {
    return read(layout.clientMetrics(round, clientId, attempt), ClientMetrics.class);
  }

  private <T> Optional<T> read(String key, Class<T> type) throws IOException {
    byte[] bytes;
    try {
      bytes = store.getBytes(key);
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    }
    return Optional.of(StorageJson.read(bytes, type, key));
  }
}
