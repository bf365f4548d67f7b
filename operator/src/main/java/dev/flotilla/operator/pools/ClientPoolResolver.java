package dev.flotilla.operator.pools;

import dev.flotilla.core.spec.ClientPoolSelector;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.operator.api.v1alpha1.ClientPool;
import dev.flotilla.operator.api.v1alpha1.Federation;
import dev.flotilla.operator.reconciler.InvalidSpecException;
import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resolves the ClientPools a Federation selects (by names or by labels) from the informer cache,
 * checking each one; no API call per reconcile.
 */
public final class ClientPoolResolver {

  private ClientPoolResolver() {}

  /** Whether {@code federation} selects {@code pool} (same namespace, listed or labels match). */
  public static boolean selects(Federation federation, ClientPool pool) {
    ClientPoolSelector selector = federation.getSpec().getClientPools();
    if (selector == null
        || !federation.getMetadata().getNamespace().equals(pool.getMetadata().getNamespace())) {
      return false;
    }
    if (selector.getNames() != null) {
      return selector.getNames().contains(pool.getMetadata().getName());
    }
    return matches(selector.getMatchLabels(), pool.getMetadata().getLabels());
  }

  /**
   * The selected pools' specs by name. Missing or invalid pools are left to the round protocol,
   * which reports them in the Federation's conditions; a pool failing the Kubernetes-only checks of
   * {@link ClientPoolValidator} is reported here.
   *
   * @throws InvalidSpecException naming the pools that fail the Kubernetes-only checks
   */
  public static Map<String, ClientPoolSpec> resolve(
      Federation federation, ResourceCache<ClientPool> pools) throws InvalidSpecException {
    ClientPoolSelector selector = federation.getSpec().getClientPools();
    String namespace = federation.getMetadata().getNamespace();
    List<ClientPool> found = new ArrayList<>();
    if (selector != null && selector.getNames() != null) {
      for (String name : selector.getNames()) {
        pools.get(new ResourceID(name, namespace)).ifPresent(found::add);
      }
    } else if (selector != null && selector.getMatchLabels() != null) {
      pools.list(namespace, pool -> selects(federation, pool)).forEach(found::add);
    }
    Map<String, ClientPoolSpec> specs = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    for (ClientPool pool : found) {
      if (pool.getSpec() == null) {
        problems.add("ClientPool " + pool.getMetadata().getName() + ": spec is required");
        continue;
      }
      ClientPoolValidator.Result result = ClientPoolValidator.validate(pool.getSpec());
      if (!result.valid()) {
        problems.add("ClientPool " + pool.getMetadata().getName() + ": " + result.message());
      }
      specs.put(pool.getMetadata().getName(), pool.getSpec());
    }
    if (!problems.isEmpty()) {
      throw new InvalidSpecException("ClientPoolInvalid", String.join("; ", problems));
    }
    return specs;
  }

  private static boolean matches(Map<String, String> wanted, Map<String, String> labels) {
    if (wanted == null || wanted.isEmpty()) {
      return false;
    }
    if (labels == null) {
      return false;
    }
    return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }
}
