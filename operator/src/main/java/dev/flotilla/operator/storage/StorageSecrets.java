package dev.flotilla.operator.storage;

import dev.flotilla.core.spec.SecretKeysRef;
import dev.flotilla.core.spec.StorageSpec;
import dev.flotilla.operator.config.OperatorConfig;
import java.util.Optional;

/**
 * Chooses the credentials Secret of a Federation's object store: its own {@code
 * spec.storage.secretRef}, else the operator's default ({@code flotilla.storage.default-secret-*}),
 * always read from the Federation's namespace.
 */
public final class StorageSecrets {

  private StorageSecrets() {}

  /**
   * A chosen Secret and the settings its name and keys came from, for error messages.
   *
   * @param ref the Secret and its keys
   * @param nameField where the name was set
   * @param accessKeyField where the access key's key was set
   * @param secretKeyField where the secret key's key was set
   */
  public record Choice(
      SecretKeysRef ref, String nameField, String accessKeyField, String secretKeyField) {}

  /** The operator's default Secret reference, or null when none is configured. */
  public static SecretKeysRef defaultRef(OperatorConfig.Storage config) {
    return config
        .defaultSecretName()
        .filter(name -> !name.isBlank())
        .map(
            name -> {
              SecretKeysRef ref = new SecretKeysRef();
              ref.setName(name);
              ref.setAccessKeyKey(config.defaultSecretAccessKeyKey());
              ref.setSecretKeyKey(config.defaultSecretSecretKeyKey());
              return ref;
            })
        .orElse(null);
  }

  /** The Secret holding a store's credentials; empty when there is none (anonymous access). */
  public static Optional<Choice> choose(StorageSpec storage, SecretKeysRef defaultRef) {
    if (storage.getSecretRef() != null) {
      String field = "spec.storage.secretRef";
      return Optional.of(
          new Choice(
              storage.getSecretRef(),
              field + ".name",
              field + ".accessKeyKey",
              field + ".secretKeyKey"));
    }
    if (defaultRef != null) {
      String field = "flotilla.storage.default-secret-";
      return Optional.of(
          new Choice(
              defaultRef, field + "name", field + "access-key-key", field + "secret-key-key"));
    }
    return Optional.empty();
  }
}
