package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Which ClientPools of the namespace provide this federation's clients. */
@ValidationRule(
    value = "has(self.names) != has(self.matchLabels)",
    message = "set exactly one of names and matchLabels")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClientPoolSelector {

  @JsonPropertyDescription(
      "ClientPool names, at most 32 (all pools together hold at most 10000 clients); set this or"
          + " matchLabels.")
  @Size(min = 1, max = SpecBounds.POOLS)
  @ValidationRule(
      value = "self.all(n, n.size() <= 253)",
      message = "every pool name must be at most 253 characters")
  private List<String> names;

  @JsonPropertyDescription(
      "Labels a ClientPool must carry, at most 32 (keys up to 317, values up to 63 characters,"
          + " as on any Kubernetes label); set this or names.")
  @Size(max = SpecBounds.MAP_ENTRIES)
  @ValidationRule(
      value = "self.all(k, k.size() <= 317 && self[k].size() <= 63)",
      message = "label keys must be at most 317 and values at most 63 characters")
  private Map<String, String> matchLabels;

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

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ClientPoolSelector)) {
      return false;
    }
    ClientPoolSelector other = (ClientPoolSelector) o;
    return Objects.equals(names, other.names) && Objects.equals(matchLabels, other.matchLabels);
  }

  @Override
  public int hashCode() {
    return Objects.hash(names, matchLabels);
  }
}
