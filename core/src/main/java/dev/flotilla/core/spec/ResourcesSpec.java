package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;
import java.util.Objects;

/** Compute resources of each trainer container, as Kubernetes quantities. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourcesSpec {

  @JsonPropertyDescription("Requested resources, e.g. cpu: \"2\", memory: 4Gi; at most 32.")
  @Size(max = SpecBounds.MAP_ENTRIES)
  @ValidationRule(
      value = "self.all(k, k.size() <= 317 && self[k].size() <= 64)",
      message = "resource names must be at most 317 and quantities at most 64 characters")
  private Map<String, String> requests;

  @JsonPropertyDescription("Resource limits, e.g. nvidia.com/gpu: \"1\"; at most 32.")
  @Size(max = SpecBounds.MAP_ENTRIES)
  @ValidationRule(
      value = "self.all(k, k.size() <= 317 && self[k].size() <= 64)",
      message = "resource names must be at most 317 and quantities at most 64 characters")
  private Map<String, String> limits;

  /** Returns requests: requested resources, e.g. */
  public Map<String, String> getRequests() {
    return requests;
  }

  /** Sets requests. */
  public void setRequests(Map<String, String> requests) {
    this.requests = requests;
  }

  /** Returns limits: resource limits, e.g. */
  public Map<String, String> getLimits() {
    return limits;
  }

  /** Sets limits. */
  public void setLimits(Map<String, String> limits) {
    this.limits = limits;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ResourcesSpec)) {
      return false;
    }
    ResourcesSpec other = (ResourcesSpec) o;
    return Objects.equals(requests, other.requests) && Objects.equals(limits, other.limits);
  }

  @Override
  public int hashCode() {
    return Objects.hash(requests, limits);
  }
}
