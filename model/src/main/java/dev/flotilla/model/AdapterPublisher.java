package dev.flotilla.model;

import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.PeftAdapterWriter;
import dev.flotilla.core.storage.ClientMetrics;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.RoundStore;
import dev.flotilla.core.storage.StorageLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Uploads adapters in the PEFT layout: weights first, then {@code adapter_config.json}; a client's
 * round result is followed by its {@code metrics.json}, which marks the upload complete.
 */
public final class AdapterPublisher {
  private final ObjectStore store;
  private final Path scratch;

  /** A publisher to {@code store} staging the files in a directory under {@code scratch}. */
  public AdapterPublisher(ObjectStore store, Path scratch) {
    this.store = store;
    this.scratch = scratch;
  }

  /** Writes {@code adapter} under key prefix {@code prefix} (ending with {@code /}). */
  public void publish(LoraAdapter adapter, String prefix) throws IOException {
    Path dir = Files.createTempDirectory(Files.createDirectories(scratch), "adapter-");
    try {
      PeftAdapterWriter.write(adapter, dir);
      store.put(prefix + StorageLayout.ADAPTER_MODEL, dir.resolve(StorageLayout.ADAPTER_MODEL));
      store.put(prefix + StorageLayout.ADAPTER_CONFIG, dir.resolve(StorageLayout.ADAPTER_CONFIG));
    } finally {
      FileTrees.deleteRecursively(dir);
    }
  }

  /**
   * A trainer's upload: the adapter under the client's prefix of {@code metrics.round()} in {@code
   * layout}, then {@code metrics.json} last.
   */
  public void publishClient(StorageLayout layout, LoraAdapter adapter, ClientMetrics metrics)
      throws IOException {
    publish(adapter, layout.clientAdapterPrefix(metrics.round(), metrics.clientId()));
    new RoundStore(store, layout).writeClientMetrics(metrics);
  }
}
