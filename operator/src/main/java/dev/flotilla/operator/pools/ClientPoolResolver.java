package dev.flotilla.operator.pools;

import dev.flotilla.core.spec.ClientPoolSelector;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.PoolAccess;
import dev.flotilla.core.spec.PoolReference;
import dev.flotilla.operator.api.v1alpha1.ClientPool;
import dev.flotilla.operator.api.v1alpha1.Federation;
import dev.flotilla.operator.reconciler.InvalidSpecException;
import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Resolves the ClientPools a Federation selects (by names or labels in its namespace, or by
 * namespace and name) from the informer cache, checking each one and, for a pool of another
 * namespace, the pool's side of the grant ({@link PoolAccess}); no API call per reconcile.
 */
public final class ClientPoolResolver {

  private ClientPoolResolver() {}

  /** Whether {@code federation} selects {@code pool} (granted or not). */
  public static boolean selects(Federation federation, ClientPool pool) {
    return key(federation, pool).isPresent();
  }

  /**
   * The selected pools' specs by pool key ({@link PoolAccess#key}). Missing pools are left to the
   * round protocol, which reports them in the Federation's conditions; a pool of another namespace
   * that does not accept the Federation, or one failing the Kubernetes-only checks of {@link
   * ClientPoolValidator}, is reported here and blocks the Federation: training on a subset of the
   * pools it names would change its client set behind its owner's back.
   *
   * @throws InvalidSpecException naming the pools not granted ({@code ClientPoolNotGranted}) or
   *     invalid ({@code ClientPoolInvalid})
   */
  public static Map<String, ClientPoolSpec> resolve(
      Federation federation, ResourceCache<ClientPool> pools) throws InvalidSpecException {
    ClientPoolSelector selector = federation.getSpec().getClientPools();
    String namespace = federation.getMetadata().getNamespace();
    String name = federation.getMetadata().getName();
    List<ClientPool> found = new ArrayList<>();
    if (selector != null && selector.getNames() != null) {
      for (String pool : selector.getNames()) {
        pools.get(new ResourceID(pool, namespace)).ifPresent(found::add);
      }
    } else if (selector != null && selector.getRefs() != null) {
      for (PoolReference ref : selector.getRefs()) {
        pools.get(new ResourceID(ref.getName(), ref.getNamespace())).ifPresent(found::add);
      }
    } else if (selector != null && selector.getMatchLabels() != null) {
      pools.list(namespace, pool -> selects(federation, pool)).forEach(found::add);
    }
    Map<String, ClientPoolSpec> specs = new TreeMap<>();
    List<String> ungranted = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (ClientPool pool : found) {
      String poolNamespace = pool.getMetadata().getNamespace();
      String key = key(federation, pool).orElseThrow();
      if (pool.getSpec() == null) {
        problems.add("ClientPool " + key + ": spec is required");
        continue;
      }
      if (!PoolAccess.grants(pool.getSpec(), poolNamespace, namespace, name)) {
        ungranted.add(
            PoolAccess.notGranted(poolNamespace, pool.getMetadata().getName(), namespace, name));
        continue;
      }
      ClientPoolValidator.Result result = ClientPoolValidator.validate(pool.getSpec());
      if (!result.valid()) {
        problems.add("ClientPool " + key + ": " + result.message());
      }
      specs.put(key, pool.getSpec());
    }
    if (!ungranted.isEmpty()) {
      throw new InvalidSpecException("ClientPoolNotGranted", String.join("; ", ungranted));
    }
    if (!problems.isEmpty()) {
      throw new InvalidSpecException("ClientPoolInvalid", String.join("; ", problems));
    }
    return specs;
  }

  private static Optional<String> key(Federation federation, ClientPool pool) {
    return PoolAccess.selects(
        federation.getMetadata().getNamespace(),
        federation.getSpec().getClientPools(),
        pool.getMetadata().getNamespace(),
        pool.getMetadata().getName(),
        pool.getMetadata().getLabels());
  }
}
