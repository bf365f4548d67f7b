package dev.flotilla.aggregator;

import dev.flotilla.core.adapter.AdapterFormatException;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.PeftAdapterReader;
import dev.flotilla.core.storage.ClientMetrics;
import dev.flotilla.core.storage.NoSuchObjectException;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.StorageJson;
import dev.flotilla.core.storage.StorageLayout;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Downloads one client's upload. A missing {@code metrics.json} means the upload is incomplete;
 * anything unreadable is a {@link RejectedUploadException} naming the object and the problem.
 * Storage failures propagate as {@link IOException} (transient).
 */
final class UploadReader {
  private final ObjectStore store;
  private final StorageLayout layout;

  UploadReader(ObjectStore store, StorageLayout layout) {
    this.store = store;
    this.layout = layout;
  }

  /** The client's metrics, empty when its upload is incomplete. */
  Optional<ClientMetrics> metrics(int round, String clientId)
      throws IOException, RejectedUploadException {
    String key = layout.clientMetrics(round, clientId);
    byte[] bytes;
    try {
      bytes = store.getBytes(key);
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    }
    try {
      return Optional.of(StorageJson.read(bytes, ClientMetrics.class, key));
    } catch (IOException | IllegalArgumentException e) {
      throw new RejectedUploadException("unreadable " + key + ": " + e.getMessage());
    }
  }

  /** The client's adapter; malformed files, NaN/Inf values and missing files are rejections. */
  LoraAdapter adapter(int round, String clientId) throws IOException, RejectedUploadException {
    String prefix = layout.clientAdapterPrefix(round, clientId);
    String configKey = prefix + StorageLayout.ADAPTER_CONFIG;
    String weightsKey = prefix + StorageLayout.ADAPTER_MODEL;
    try (InputStream config = store.get(configKey);
        InputStream weights = store.get(weightsKey)) {
      return PeftAdapterReader.read(config, configKey, weights, weightsKey);
    } catch (NoSuchObjectException e) {
      throw new RejectedUploadException("incomplete upload: " + e.getMessage());
    } catch (AdapterFormatException e) {
      throw new RejectedUploadException(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new RejectedUploadException("invalid adapter under " + prefix + ": " + e.getMessage());
    }
  }
}
