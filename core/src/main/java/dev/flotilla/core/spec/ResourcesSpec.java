package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;
import java.util.Objects;

/** Compute resources of each trainer container, as Kubernetes quantities. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourcesSpec {

  @JsonPropertyDescription("Requested resources, e.g. cpu: \"2\", memory: 4Gi.")
  private Map<String, String> requests;

  @JsonPropertyDescription("Resource limits, e.g. nvidia.com/gpu: \"1\".")
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
