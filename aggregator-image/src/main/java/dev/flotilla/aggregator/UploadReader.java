package dev.flotilla.aggregator;

import dev.flotilla.core.adapter.AdapterFormatException;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.PeftAdapterConfig;
import dev.flotilla.core.adapter.PeftAdapterReader;
import dev.flotilla.core.safetensors.SafetensorsContent;
import dev.flotilla.core.safetensors.SafetensorsReader;
import dev.flotilla.core.storage.ClientMetrics;
import dev.flotilla.core.storage.NoSuchObjectException;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.Sha256;
import dev.flotilla.core.storage.StorageJson;
import dev.flotilla.core.storage.StorageLayout;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Downloads one client's upload within {@link UploadLimits}: every object is sized first (a HEAD
 * request), refused above its cap, and read only up to its stated size; the adapter files are
 * hashed as they are read. A missing {@code metrics.json} means the upload is incomplete; anything
 * else unreadable is a {@link RejectedUploadException} naming the object and the problem. Storage
 * failures propagate as {@link IOException} (transient).
 */
final class UploadReader {
  private final ObjectStore store;
  private final StorageLayout layout;
  private final UploadLimits limits;

  UploadReader(ObjectStore store, StorageLayout layout, UploadLimits limits) {
    this.store = store;
    this.layout = layout;
    this.limits = limits;
  }

  /**
   * An adapter as read, with the SHA-256 (hex) of the bytes it was read from.
   *
   * @param adapter the parsed adapter
   * @param modelSha256 hash of {@code adapter_model.safetensors}
   * @param configSha256 hash of {@code adapter_config.json}
   */
  record StoredAdapter(LoraAdapter adapter, String modelSha256, String configSha256) {}

  /** The client's metrics, empty when its upload is incomplete. */
  Optional<ClientMetrics> metrics(int round, String clientId, int attempt)
      throws IOException, RejectedUploadException {
    String key = layout.clientMetrics(round, clientId, attempt);
    byte[] bytes;
    try {
      bytes = smallObject(key, StorageLayout.METRICS, limits.metricsBytes());
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    }
    try {
      return Optional.of(StorageJson.read(bytes, ClientMetrics.class, key));
    } catch (IOException e) {
      throw new RejectedUploadException("unreadable " + key + ": " + e.getMessage());
    }
  }

  /** The client's adapter; malformed files, NaN/Inf values and missing files are rejections. */
  StoredAdapter adapter(int round, String clientId, int attempt)
      throws IOException, RejectedUploadException {
    String prefix = layout.clientAdapterPrefix(round, clientId, attempt);
    String configKey = prefix + StorageLayout.ADAPTER_CONFIG;
    String weightsKey = prefix + StorageLayout.ADAPTER_MODEL;
    try {
      byte[] configBytes =
          smallObject(configKey, StorageLayout.ADAPTER_CONFIG, limits.configBytes());
      PeftAdapterConfig config = PeftAdapterConfig.parse(configBytes, configKey);
      long size = store.size(weightsKey);
      checkSize(StorageLayout.ADAPTER_MODEL, size, limits.weightsBytes());
      MessageDigest digest = Sha256.digest();
      SafetensorsContent content;
      try (InputStream in = new DigestInputStream(store.get(weightsKey), digest)) {
        content =
            SafetensorsReader.readAll(
                in, size, weightsKey, new SafetensorsReader.Options(limits.headerBytes(), true));
      }
      LoraAdapter adapter = PeftAdapterReader.assemble(config, content.tensors(), weightsKey);
      return new StoredAdapter(adapter, Sha256.hexOf(digest), Sha256.hex(configBytes));
    } catch (NoSuchObjectException e) {
      throw new RejectedUploadException("incomplete upload: " + e.getMessage());
    } catch (AdapterFormatException e) {
      throw new RejectedUploadException(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new RejectedUploadException("invalid adapter under " + prefix + ": " + e.getMessage());
    }
  }

  /** An object of at most {@code cap} bytes, read whole. */
  private byte[] smallObject(String key, String name, int cap)
      throws IOException, RejectedUploadException {
    checkSize(name, store.size(key), cap);
    try (InputStream in = store.get(key)) {
      return in.readNBytes(cap);
    }
  }

  private static void checkSize(String name, long size, long cap) throws RejectedUploadException {
    if (size > cap) {
      throw new RejectedUploadException(
          name + " is " + size + " bytes, more than the cap of " + cap + " bytes");
    }
  }
}
