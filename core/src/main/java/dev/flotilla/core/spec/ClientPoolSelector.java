package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which ClientPools provide this federation's clients: by name or labels in its own namespace, or
 * by namespace and name across namespaces (each such pool must accept the Federation).
 */
@ValidationRule(
    value = "[has(self.names), has(self.matchLabels), has(self.refs)].filter(x, x).size() == 1",
    message = "set exactly one of names, matchLabels and refs")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClientPoolSelector {

  @JsonPropertyDescription(
      "ClientPool names in the Federation's namespace, at most 32 (all pools together hold at"
          + " most 10000 clients); set one of names, matchLabels and refs.")
  @Size(min = 1, max = SpecBounds.POOLS)
  @ValidationRule(
      value = "self.all(n, n.size() <= 253)",
      message = "every pool name must be at most 253 characters")
  private List<String> names;

  @JsonPropertyDescription(
      "Labels a ClientPool of the Federation's namespace must carry, at most 32 (keys up to"
          + " 317, values up to 63 characters, as on any Kubernetes label); set one of names,"
          + " matchLabels and refs.")
  @Size(max = SpecBounds.MAP_ENTRIES)
  @ValidationRule(
      value = "self.all(k, k.size() <= 317 && self[k].size() <= 63)",
      message = "label keys must be at most 317 and values at most 63 characters")
  private Map<String, String> matchLabels;

  @JsonPropertyDescription(
      "ClientPools by namespace and name, e.g. one per data owner's namespace; a pool of another"
          + " namespace is used only if its spec.allowedFederations accepts this Federation (an"
          + " ungranted one is reported in the ClientPoolNotGranted condition). Its trainers run"
          + " in its namespace, next to its data credential. At most 32, like names; set one of"
          + " names, matchLabels and refs.")
  @Size(min = 1, max = SpecBounds.POOLS)
  private List<PoolReference> refs;

  /** Returns names: clientPool names; set this or matchLabels. */
  public List<String> getNames() {
    return names;
  }

  /** Sets names. */
  public void setNames(List<String> names) {
    this.names = names;
  }

  /** Returns matchLabels: labels a ClientPool must carry; set this or names. */
  public Map<String, String> getMatchLabels() {
    return matchLabels;
  }

  /** Sets matchLabels. */
  public void setMatchLabels(Map<String, String> matchLabels) {
    this.matchLabels = matchLabels;
  }

  /** Returns refs: clientPools by namespace and name. */
  public List<PoolReference> getRefs() {
    return refs;
  }

  /** Sets refs. */
  public void setRefs(List<PoolReference> refs) {
    this.refs = refs;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ClientPoolSelector)) {
      return false;
    }
    ClientPoolSelector other = (ClientPoolSelector) o;
    return Objects.equals(names, other.names)
        && Objects.equals(matchLabels, other.matchLabels)
        && Objects.equals(refs, other.refs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(names, matchLabels, refs);
  }
}
