package dev.flotilla.aggregator;

import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.PeftAdapterWriter;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.Sha256;
import dev.flotilla.core.storage.StorageLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Uploads adapters in the PEFT layout: weights first, then {@code adapter_config.json}; reports the
 * SHA-256 of what it uploaded.
 */
final class AdapterPublisher {
  private final ObjectStore store;
  private final Path scratch;

  AdapterPublisher(ObjectStore store, Path scratch) {
    this.store = store;
    this.scratch = scratch;
  }

  /**
   * Writes {@code adapter} under key prefix {@code prefix} (ending with {@code /}).
   *
   * @return object key → SHA-256 (hex) of each file written
   */
  Map<String, String> publish(LoraAdapter adapter, String prefix) throws IOException {
    Path dir = Files.createTempDirectory(Files.createDirectories(scratch), "adapter-");
    try {
      PeftAdapterWriter.write(adapter, dir);
      Map<String, String> hashes = new LinkedHashMap<>();
      for (String name : List.of(StorageLayout.ADAPTER_MODEL, StorageLayout.ADAPTER_CONFIG)) {
        Path file = dir.resolve(name);
        store.put(prefix + name, file);
        hashes.put(prefix + name, Sha256.hex(file));
      }
      return hashes;
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
