package dev.flotilla.aggregator;

import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.PeftAdapterWriter;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.StorageLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Uploads adapters in the PEFT layout: weights first, then {@code adapter_config.json}. */
final class AdapterPublisher {
  private final ObjectStore store;
  private final Path scratch;

  AdapterPublisher(ObjectStore store, Path scratch) {
    this.store = store;
    this.scratch = scratch;
  }

  /** Writes {@code adapter} under key prefix {@code prefix} (ending with {@code /}). */
  void publish(LoraAdapter adapter, String prefix) throws IOException {
    Path dir = Files.createTempDirectory(Files.createDirectories(scratch), "adapter-");
    try {
      PeftAdapterWriter.write(adapter, dir);
      store.put(prefix + StorageLayout.ADAPTER_MODEL, dir.resolve(StorageLayout.ADAPTER_MODEL));
      store.put(prefix + StorageLayout.ADAPTER_CONFIG, dir.resolve(StorageLayout.ADAPTER_CONFIG));
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
