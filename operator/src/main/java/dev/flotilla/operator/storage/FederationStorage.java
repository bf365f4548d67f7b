package dev.flotilla.operator.storage;

import dev.flotilla.core.spec.SecretKeysRef;
import dev.flotilla.core.spec.StorageSpec;
import dev.flotilla.core.storage.FederationOwner;
import dev.flotilla.core.storage.ForeignDataException;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.RoundStore;
import dev.flotilla.core.storage.S3ObjectStore;
import dev.flotilla.core.storage.S3Settings;
import dev.flotilla.core.storage.StorageLayout;
import dev.flotilla.core.workload.S3GrantSigner;
import dev.flotilla.operator.api.v1alpha1.Federation;
import dev.flotilla.operator.config.OperatorConfig;
import dev.flotilla.operator.reconciler.InvalidSpecException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Opens the object store of a Federation from its {@code spec.storage} and credentials Secret (its
 * own {@code secretRef}, else the operator's default Secret, see {@link StorageSecrets}).
 * Connections are cached per Federation and reopened only when the settings or the Secret change,
 * so a reconcile does not pay a bucket check each time.
 */
@ApplicationScoped
public class FederationStorage {

  private static final Logger LOG = Logger.getLogger(FederationStorage.class);

  private final KubernetesClient client;
  private final OperatorConfig config;
  private final Map<String, Cached> stores = new ConcurrentHashMap<>();

  /** Federation (namespace/name) → the uid whose claim on its prefix was checked. */
  private final Map<String, String> claimed = new ConcurrentHashMap<>();

  /** Storage resolved with {@code client} (for Secrets) and the operator defaults. */
  public FederationStorage(KubernetesClient client, OperatorConfig config) {
    this.client = client;
    this.config = config;
  }

  /** The resolved endpoint of a Federation's store: its own, or the operator default. */
  public String endpoint(StorageSpec storage) throws InvalidSpecException {
    if (storage.getEndpoint() != null && !storage.getEndpoint().isBlank()) {
      return storage.getEndpoint();
    }
    return config
        .storage()
        .defaultEndpoint()
        .orElseThrow(
            () ->
                new InvalidSpecException(
                    "StorageInvalid",
                    "spec.storage.endpoint is required (the operator has no"
                        + " flotilla.storage.default-endpoint)"));
  }

  /** The key layout of a Federation. */
  public static StorageLayout layout(Federation federation) {
    StorageSpec storage = federation.getSpec().getStorage();
    return new StorageLayout(
        storage.getBucket(), storage.getPrefix(), federation.getMetadata().getName());
  }

  /**
   * The plans and manifests of a Federation, opening (or reusing) its object store, once its prefix
   * is claimed for it ({@link RoundStore#claim}: the first reconcile of a Federation writes the
   * ownership record; a prefix owned by another Federation is refused).
   */
  public RoundStore roundStore(Federation federation) throws InvalidSpecException {
    RoundStore rounds = new RoundStore(open(federation), layout(federation));
    String uid = federation.getMetadata().getUid();
    String id = federation.getMetadata().getNamespace() + "/" + federation.getMetadata().getName();
    if (uid != null && !uid.equals(claimed.get(id))) {
      try {
        rounds.claim(
            FederationOwner.of(
                federation.getMetadata().getNamespace(), federation.getMetadata().getName(), uid));
      } catch (ForeignDataException e) {
        throw new InvalidSpecException("StorageOwnedByAnother", e.getMessage(), e);
      } catch (IOException | RuntimeException e) {
        throw new InvalidSpecException(
            "StorageUnavailable", "cannot claim the storage prefix: " + e.getMessage(), e);
      }
      claimed.put(id, uid);
    }
    return rounds;
  }

  /** The object store of a Federation. */
  public ObjectStore open(Federation federation) throws InvalidSpecException {
    StorageSpec storage = federation.getSpec().getStorage();
    if (storage == null || storage.getBucket() == null) {
      throw new InvalidSpecException("StorageInvalid", "spec.storage.bucket is required");
    }
    String namespace = federation.getMetadata().getNamespace();
    Credentials credentials = credentials(namespace, storage);
    S3Settings settings;
    try {
      settings =
          new S3Settings(
              endpoint(storage),
              storage.getRegion(),
              credentials.accessKey(),
              credentials.secretKey(),
              storage.getBucket(),
              !Boolean.FALSE.equals(storage.getPathStyle()),
              Boolean.TRUE.equals(storage.getCreateBucket()));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidSpecException("StorageInvalid", "spec.storage: " + e.getMessage(), e);
    }
    String key = namespace + "/" + federation.getMetadata().getName();
    Cached cached = stores.get(key);
    if (cached != null && cached.settings.equals(settings)) {
      return cached.store;
    }
    S3ObjectStore store;
    try {
      store =
          S3ObjectStore.open(
              settings,
              config.limits().storageConnectTimeout(),
              config.limits().storageReadTimeout());
    } catch (IOException | RuntimeException e) {
      throw new InvalidSpecException(
          "StorageUnavailable",
          "cannot open bucket "
              + settings.bucket()
              + " at "
              + settings.endpoint()
              + ": "
              + e.getMessage(),
          e);
    }
    Cached previous = stores.put(key, new Cached(settings, store));
    if (previous != null) {
      closeQuietly(previous.store);
    }
    return store;
  }

  /**
   * A signer of storage grants with the Federation's credential, for URLs valid for {@code
   * validity}; the caller closes it.
   */
  public S3GrantSigner signer(Federation federation, Duration validity)
      throws InvalidSpecException {
    open(federation);
    Cached cached =
        stores.get(
            federation.getMetadata().getNamespace() + "/" + federation.getMetadata().getName());
    return new S3GrantSigner(cached.store(), cached.settings(), validity);
  }

  /** Forgets (and closes) the store of a deleted Federation. */
  public void forget(String namespace, String name) {
    claimed.remove(namespace + "/" + name);
    Cached cached = stores.remove(namespace + "/" + name);
    if (cached != null) {
      closeQuietly(cached.store);
    }
  }

  private Credentials credentials(String namespace, StorageSpec storage)
      throws InvalidSpecException {
    StorageSecrets.Choice choice =
        StorageSecrets.choose(storage, StorageSecrets.defaultRef(config.storage())).orElse(null);
    if (choice == null) {
      return new Credentials(null, null);
    }
    SecretKeysRef ref = choice.ref();
    if (ref.getName() == null || ref.getName().isBlank()) {
      throw new InvalidSpecException("StorageSecretInvalid", choice.nameField() + " is required");
    }
    String described =
        "Secret " + namespace + "/" + ref.getName() + " (" + choice.nameField() + ")";
    Secret secret;
    try {
      secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
    } catch (KubernetesClientException e) {
      throw new InvalidSpecException(
          "StorageSecretInvalid", "cannot read " + described + ": " + e.getMessage(), e);
    }
    if (secret == null) {
      throw new InvalidSpecException("StorageSecretInvalid", described + " not found");
    }
    return new Credentials(
        value(secret, ref.getAccessKeyKey(), choice.accessKeyField()),
        value(secret, ref.getSecretKeyKey(), choice.secretKeyField()));
  }

  private static String value(Secret secret, String key, String field) throws InvalidSpecException {
    String name = secret.getMetadata().getName();
    if (secret.getData() != null && secret.getData().get(key) != null) {
      try {
        return new String(
            Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new InvalidSpecException(
            "StorageSecretInvalid", "Secret " + name + " key " + key + " is not base64");
      }
    }
    if (secret.getStringData() != null && secret.getStringData().get(key) != null) {
      return secret.getStringData().get(key);
    }
    throw new InvalidSpecException(
        "StorageSecretInvalid", "Secret " + name + " has no key '" + key + "' (" + field + ")");
  }

  private static void closeQuietly(S3ObjectStore store) {
    try {
      store.close();
    } catch (Exception e) {
      LOG.debugf("closing object store: %s", e.getMessage());
    }
  }

  /** Closes every cached store. */
  @PreDestroy
  void close() {
    stores.values().forEach(cached -> closeQuietly(cached.store));
    stores.clear();
  }

  private record Credentials(String accessKey, String secretKey) {}

  private record Cached(S3Settings settings, S3ObjectStore store) {
    Cached {
      Objects.requireNonNull(settings);
    }
  }
}
