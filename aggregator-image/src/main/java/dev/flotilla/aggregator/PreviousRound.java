package dev.flotilla.aggregator;

import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.PeftAdapterReader;
import dev.flotilla.core.aggregation.OptimizerState;
import dev.flotilla.core.aggregation.ServerHistory;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.RoundManifest;
import dev.flotilla.core.storage.RoundStore;
import dev.flotilla.core.storage.Sha256;
import dev.flotilla.core.storage.StorageLayout;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The committed base round of the round being aggregated, as the server reads it back: its adapters
 * (global and per rank) and the server optimizer state it stored, every object checked against the
 * SHA-256 its manifest recorded.
 */
final class PreviousRound {
  private final Map<Integer, LoraAdapter> byRank;
  private final LoraAdapter global;
  private final OptimizerState state;
  private final byte[] stateBytes;

  private PreviousRound(
      LoraAdapter global, Map<Integer, LoraAdapter> byRank, OptimizerState state, byte[] bytes) {
    this.global = global;
    this.byRank = byRank;
    this.state = state;
    this.stateBytes = bytes;
  }

  /**
   * Reads committed round {@code base}.
   *
   * @throws BadInputException when it is not committed or an object differs from its manifest
   */
  static PreviousRound load(ObjectStore store, RoundStore rounds, int base)
      throws IOException, BadInputException {
    StorageLayout layout = rounds.layout();
    RoundManifest manifest =
        rounds
            .readManifest(base)
            .orElseThrow(
                () ->
                    new BadInputException(
                        "base round "
                            + base
                            + " is not committed: no "
                            + layout.manifestKey(base)));
    Map<String, String> hashes = manifest.outputSha256();
    LoraAdapter global = adapter(store, hashes, manifest.globalAdapterPrefix());
    Map<Integer, LoraAdapter> byRank = new TreeMap<>();
    for (Map.Entry<Integer, String> e : manifest.rankAdapterPrefixes().entrySet()) {
      byRank.put(e.getKey(), adapter(store, hashes, e.getValue()));
    }
    String stateKey = layout.serverOptimizerStateKey(base);
    OptimizerState state = OptimizerState.EMPTY;
    byte[] bytes = null;
    if (hashes.containsKey(stateKey)) {
      bytes = verified(store, hashes, stateKey);
      state = OptimizerState.fromBytes(bytes, stateKey);
    }
    return new PreviousRound(global, byRank, state, bytes);
  }

  private static LoraAdapter adapter(ObjectStore store, Map<String, String> hashes, String prefix)
      throws IOException, BadInputException {
    String configKey = prefix + StorageLayout.ADAPTER_CONFIG;
    String modelKey = prefix + StorageLayout.ADAPTER_MODEL;
    byte[] config = verified(store, hashes, configKey);
    byte[] model = verified(store, hashes, modelKey);
    return PeftAdapterReader.read(
        new ByteArrayInputStream(config),
        configKey,
        new ByteArrayInputStream(model),
        model.length,
        modelKey);
  }

  private static byte[] verified(ObjectStore store, Map<String, String> hashes, String key)
      throws IOException, BadInputException {
    byte[] bytes = store.getBytes(key);
    String expected = hashes.get(key);
    if (expected == null || !expected.equals(Sha256.hex(bytes))) {
      throw new BadInputException(
          key + " does not match the SHA-256 its round's manifest recorded (" + expected + ")");
    }
    return bytes;
  }

  /** The previous point (the widest adapter: every output rank is a prefix of it) and state. */
  ServerHistory history() {
    return new ServerHistory(Optional.of(widest()), state);
  }

  private LoraAdapter widest() {
    LoraAdapter best = global;
    for (LoraAdapter a : byRank.values()) {
      if (a.maxRank() > best.maxRank()) {
        best = a;
      }
    }
    return best;
  }

  /** The committed global adapter. */
  LoraAdapter global() {
    return global;
  }

  /** The committed adapter of rank {@code rank}: the global one or a redistributed one. */
  Optional<LoraAdapter> atRank(int rank) {
    if (byRank.containsKey(rank)) {
      return Optional.of(byRank.get(rank));
    }
    return global.maxRank() == rank ? Optional.of(global) : Optional.empty();
  }

  /** The state file's bytes as stored, when the base round stored one. */
  Optional<byte[]> stateBytes() {
    return Optional.ofNullable(stateBytes);
  }
}
