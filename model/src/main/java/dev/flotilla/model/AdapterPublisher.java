package dev.flotilla.model;

import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.PeftAdapterWriter;
import dev.flotilla.core.storage.ClientMetrics;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.RoundStore;
import dev.flotilla.core.storage.Sha256;
import dev.flotilla.core.storage.StorageLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Uploads adapters in the PEFT layout: weights first, then {@code adapter_config.json}, reporting
 * the SHA-256 of the bytes it uploaded; a client's round result is followed by its {@code
 * metrics.json} carrying those hashes, which marks the upload complete.
 */
public final class AdapterPublisher {
  private final ObjectStore store;
  private final Path scratch;

  /** A publisher to {@code store} staging the files in a directory under {@code scratch}. */
  public AdapterPublisher(ObjectStore store, Path scratch) {
    this.store = store;
    this.scratch = scratch;
  }

  /**
   * Writes {@code adapter} under key prefix {@code prefix} (ending with {@code /}).
   *
   * @return object key → SHA-256 (hex) of each file written, weights first
   */
  public Map<String, String> publish(LoraAdapter adapter, String prefix) throws IOException {
    Path dir = Files.createTempDirectory(Files.createDirectories(scratch), "adapter-");
    try {
      PeftAdapterWriter.write(adapter, dir);
      Map<String, String> hashes = new LinkedHashMap<>();
      for (String name : List.of(StorageLayout.ADAPTER_MODEL, StorageLayout.ADAPTER_CONFIG)) {
        Path file = dir.resolve(name);
        hashes.put(prefix + name, Sha256.hex(file));
        store.put(prefix + name, file);
      }
      return hashes;
    } finally {
      FileTrees.deleteRecursively(dir);
    }
  }

  /**
   * A trainer's upload: the adapter under the client's prefix of {@code trained.round()} in {@code
   * layout}, then {@code metrics.json} last, with the SHA-256 of both adapter files.
   *
   * @return the metrics as uploaded
   */
  public ClientMetrics publishClient(
      StorageLayout layout, LoraAdapter adapter, ClientMetrics trained) throws IOException {
    String prefix =
        layout.clientAdapterPrefix(trained.round(), trained.clientId(), trained.attempt());
    Map<String, String> hashes = publish(adapter, prefix);
    ClientMetrics metrics =
        trained.withAdapterHashes(
            hashes.get(prefix + StorageLayout.ADAPTER_MODEL),
            hashes.get(prefix + StorageLayout.ADAPTER_CONFIG));
    new RoundStore(store, layout).writeClientMetrics(metrics);
    return metrics;
  }
}
