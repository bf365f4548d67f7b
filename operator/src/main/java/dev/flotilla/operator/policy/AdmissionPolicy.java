package dev.flotilla.operator.policy;

import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.spec.ImagesSpec;
import dev.flotilla.core.spec.SecretKeysRef;
import dev.flotilla.core.spec.StorageSpec;
import dev.flotilla.operator.api.v1alpha1.Federation;
import dev.flotilla.operator.reconciler.InvalidSpecException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operator's admission policy: what a Federation and the ClientPools it selects may ask for
 * (images, storage endpoints, Secret keys, pod settings). Checked before any Secret is read, any
 * object-store call is made or any Job is created; a refusal names the field and the policy
 * setting.
 */
public final class AdmissionPolicy {

  /** Condition reason of a refusal. */
  public static final String REASON = "PolicyViolation";

  private final ImageRule images;
  private final EndpointRule endpoints;
  private final List<String> secretKeys;
  private final PoolRules pools;

  /** A policy of these rules; {@code secretKeys} are the keys a secretRef may name. */
  public AdmissionPolicy(
      ImageRule images, EndpointRule endpoints, List<String> secretKeys, PoolRules pools) {
    this.images = images;
    this.endpoints = endpoints;
    this.secretKeys = List.copyOf(secretKeys);
    this.pools = pools;
  }

  /** Every refusal of a Federation's own fields. */
  public List<String> refusals(FederationSpec spec) {
    List<String> out = new ArrayList<>();
    ImagesSpec specImages = spec.getImages();
    if (specImages != null) {
      images.refusal("spec.images.trainer", specImages.getTrainer()).ifPresent(out::add);
      images.refusal("spec.images.aggregator", specImages.getAggregator()).ifPresent(out::add);
    }
    StorageSpec storage = spec.getStorage();
    if (storage != null) {
      endpoints.refusal("spec.storage.endpoint", storage.getEndpoint()).ifPresent(out::add);
      secretKeys("spec.storage.secretRef", storage.getSecretRef(), out);
    }
    return out;
  }

  /** Every refusal of a ClientPool's fields. */
  public List<String> refusals(ClientPoolSpec pool) {
    List<String> out = new ArrayList<>();
    images.refusal("spec.image", pool.getImage()).ifPresent(out::add);
    out.addAll(pools.refusals(pool));
    if (pool.getDataStorage() != null) {
      endpoints
          .refusal("spec.dataStorage.endpoint", pool.getDataStorage().getEndpoint())
          .ifPresent(out::add);
      secretKeys("spec.dataStorage.secretRef", pool.getDataStorage().getSecretRef(), out);
    }
    return out;
  }

  /**
   * Refuses a Federation whose fields, or whose selected pools' fields, break the policy.
   *
   * @throws InvalidSpecException with reason {@link #REASON}, naming every refused field
   */
  public void check(Federation federation, Map<String, ClientPoolSpec> selected)
      throws InvalidSpecException {
    List<String> problems = new ArrayList<>(refusals(federation.getSpec()));
    selected.forEach(
        (name, pool) ->
            refusals(pool).forEach(problem -> problems.add("ClientPool " + name + ": " + problem)));
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(REASON, String.join("; ", problems));
    }
  }

  private void secretKeys(String field, SecretKeysRef ref, List<String> out) {
    if (ref == null) {
      return;
    }
    key(field + ".accessKeyKey", ref.getAccessKeyKey(), out);
    key(field + ".secretKeyKey", ref.getSecretKeyKey(), out);
  }

  private void key(String field, String key, List<String> out) {
    if (key != null && !secretKeys.contains(key)) {
      out.add(
          field
              + " '"
              + key
              + "' is not allowed (flotilla.policy.storage.allowed-secret-keys: "
              + secretKeys
              + ")");
    }
  }
}
