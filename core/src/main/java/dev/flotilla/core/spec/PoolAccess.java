package dev.flotilla.core.spec;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which ClientPools a Federation may train on: the Federation's selector (names or labels in its
 * own namespace, or {@code refs} across namespaces) and, for a pool of another namespace, the
 * pool's own {@code spec.allowedFederations} — a grant needs both sides, as Gateway API's
 * ReferenceGrant does, so neither a Federation owner nor a pool author can pull the other in alone.
 * Pure: the operator and the local runtime apply the same rules.
 */
public final class PoolAccess {

  /** A DNS-1123 label (namespaces, Federation names). */
  public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";

  /** A DNS-1123 subdomain (ClientPool names). */
  public static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  private PoolAccess() {}

  /**
   * The key of a selected pool in the Federation's pool map: its name for a pool selected by {@code
   * names} or {@code matchLabels}, {@code namespace/name} for one selected by {@code refs}.
   */
  public static String key(PoolReference ref) {
    return ref.getNamespace() + "/" + ref.getName();
  }

  /**
   * The namespace a pool key lives in: the one in the key, else the Federation's (where the pool's
   * trainer Jobs run, next to its data credential).
   */
  public static String namespaceOf(String poolKey, String federationNamespace) {
    int slash = poolKey.indexOf('/');
    return slash < 0 ? federationNamespace : poolKey.substring(0, slash);
  }

  /** The pool's name in a pool key. */
  public static String nameOf(String poolKey) {
    return poolKey.substring(poolKey.indexOf('/') + 1);
  }

  /**
   * Whether {@code selector}, of a Federation in {@code federationNamespace}, selects the pool
   * {@code poolNamespace/poolName} carrying {@code poolLabels}; empty when it does not, else the
   * pool's key.
   */
  public static Optional<String> selects(
      String federationNamespace,
      ClientPoolSelector selector,
      String poolNamespace,
      String poolName,
      Map<String, String> poolLabels) {
    if (selector == null) {
      return Optional.empty();
    }
    if (selector.getRefs() != null) {
      PoolReference ref = new PoolReference(poolNamespace, poolName);
      return selector.getRefs().contains(ref) ? Optional.of(key(ref)) : Optional.empty();
    }
    if (!federationNamespace.equals(poolNamespace)) {
      return Optional.empty();
    }
    if (selector.getNames() != null) {
      return selector.getNames().contains(poolName) ? Optional.of(poolName) : Optional.empty();
    }
    return labelsMatch(selector.getMatchLabels(), poolLabels)
        ? Optional.of(poolName)
        : Optional.empty();
  }

  /**
   * Whether the pool in {@code poolNamespace} accepts the Federation {@code
   * federationNamespace/federationName}: always in its own namespace, else only when its {@code
   * spec.allowedFederations} names that namespace (and that Federation, or every one of it).
   */
  public static boolean grants(
      ClientPoolSpec pool,
      String poolNamespace,
      String federationNamespace,
      String federationName) {
    if (poolNamespace.equals(federationNamespace)) {
      return true;
    }
    List<FederationGrant> grants = pool.getAllowedFederations();
    return grants != null
        && grants.stream()
            .anyMatch(
                g ->
                    federationNamespace.equals(g.getNamespace())
                        && (g.getName() == null || federationName.equals(g.getName())));
  }

  /** Why a selected pool of another namespace cannot be used, naming both sides of the grant. */
  public static String notGranted(
      String poolNamespace, String poolName, String federationNamespace, String federationName) {
    return "ClientPool "
        + poolNamespace
        + "/"
        + poolName
        + " does not accept Federation "
        + federationNamespace
        + "/"
        + federationName
        + ": its spec.allowedFederations must list {namespace: "
        + federationNamespace
        + ", name: "
        + federationName
        + "} (or that namespace)";
  }

  private static boolean labelsMatch(Map<String, String> wanted, Map<String, String> labels) {
    if (wanted == null || wanted.isEmpty() || labels == null) {
      return false;
    }
    return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }
}
