package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Desired state of a ClientPool: a group of clients sharing a LoRA rank and a pod template; usable
 * by any Federation.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClientPoolSpec {

  @JsonPropertyDescription("The clients of this pool.")
  @Required
  private ClientsSpec clients;

  @JsonPropertyDescription(
      "LoRA rank of the pool's clients (a client may override it), at most 1024.")
  @Required
  @Min(1)
  @Max(SpecBounds.RANK)
  private Integer rank;

  @JsonPropertyDescription(
      "Trainer image of this pool's clients, e.g. the CUDA build for a GPU pool and the CPU build"
          + " for a CPU pool; omitted: the Federation's spec.images.trainer, else the operator's"
          + " default trainer image; at most 512 characters.")
  @Pattern(ImageReference.PATTERN)
  @Size(max = SpecBounds.IMAGE)
  private String image;

  @JsonPropertyDescription("Resources of each trainer container.")
  private ResourcesSpec resources;

  @JsonPropertyDescription(
      "Node labels the trainer pods must match, at most 32 (label-sized keys and values).")
  @Size(max = SpecBounds.MAP_ENTRIES)
  @ValidationRule(
      value = "self.all(k, k.size() <= 317 && self[k].size() <= 63)",
      message = "keys must be at most 317 and values at most 63 characters")
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription("Tolerations of the trainer pods, at most 32.")
  @Size(max = SpecBounds.TOLERATIONS)
  private List<TolerationSpec> tolerations;

  @JsonPropertyDescription("Kubernetes Affinity of the trainer pods, passed through unchanged.")
  @PreserveUnknownFields
  private JsonNode affinity;

  @JsonPropertyDescription("RuntimeClass of the trainer pods (e.g. nvidia).")
  @Pattern(SpecBounds.DNS_SUBDOMAIN_PATTERN)
  @Size(max = SpecBounds.SHORT_STRING)
  private String runtimeClassName;

  @JsonPropertyDescription("PriorityClass of the trainer pods.")
  @Pattern(SpecBounds.DNS_SUBDOMAIN_PATTERN)
  @Size(max = SpecBounds.SHORT_STRING)
  private String priorityClassName;

  @JsonPropertyDescription("ServiceAccount of the trainer pods.")
  @Pattern(SpecBounds.DNS_SUBDOMAIN_PATTERN)
  @Size(max = SpecBounds.SHORT_STRING)
  private String serviceAccountName;

  @JsonPropertyDescription("Extra environment variables of the trainer container, at most 64.")
  @Size(max = SpecBounds.ENV)
  private List<EnvVarSpec> env;

  @JsonPropertyDescription(
      "The data owner's own store for this pool's s3:// data URIs, read by its trainers with the"
          + " pool's credential; omitted: the data is in the Federation's store and each trainer"
          + " gets a read grant for its own client's objects only.")
  private DataStorageSpec dataStorage;

  @JsonPropertyDescription(
      "Federations of OTHER namespaces that may train on this pool: the data owner's side of the"
          + " grant (the Federation's side is its spec.clientPools.refs). A Federation of the"
          + " pool's own namespace needs no entry. Their trainer Jobs run in this namespace. At"
          + " most 32 entries (one per namespace, or per Federation).")
  @Size(max = SpecBounds.MAP_ENTRIES)
  private List<FederationGrant> allowedFederations;

  /** Returns clients: the clients of this pool. */
  public ClientsSpec getClients() {
    return clients;
  }

  /** Sets clients. */
  public void setClients(ClientsSpec clients) {
    this.clients = clients;
  }

  /** Returns rank: loRA rank of the pool's clients (a client may override it). */
  public Integer getRank() {
    return rank;
  }

  /** Sets rank. */
  public void setRank(Integer rank) {
    this.rank = rank;
  }

  /** Returns image: trainer image of this pool's clients; null: the Federation's or default. */
  public String getImage() {
    return image;
  }

  /** Sets image. */
  public void setImage(String image) {
    this.image = image;
  }

  /** Returns resources: resources of each trainer container. */
  public ResourcesSpec getResources() {
    return resources;
  }

  /** Sets resources. */
  public void setResources(ResourcesSpec resources) {
    this.resources = resources;
  }

  /** Returns nodeSelector: node labels the trainer pods must match. */
  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  /** Sets nodeSelector. */
  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  /** Returns tolerations: tolerations of the trainer pods. */
  public List<TolerationSpec> getTolerations() {
    return tolerations;
  }

  /** Sets tolerations. */
  public void setTolerations(List<TolerationSpec> tolerations) {
    this.tolerations = tolerations;
  }

  /** Returns affinity: kubernetes Affinity of the trainer pods, passed through unchanged. */
  public JsonNode getAffinity() {
    return affinity;
  }

  /** Sets affinity. */
  public void setAffinity(JsonNode affinity) {
    this.affinity = affinity;
  }

  /** Returns runtimeClassName: runtimeClass of the trainer pods (e.g. */
  public String getRuntimeClassName() {
    return runtimeClassName;
  }

  /** Sets runtimeClassName. */
  public void setRuntimeClassName(String runtimeClassName) {
    this.runtimeClassName = runtimeClassName;
  }

  /** Returns priorityClassName: priorityClass of the trainer pods. */
  public String getPriorityClassName() {
    return priorityClassName;
  }

  /** Sets priorityClassName. */
  public void setPriorityClassName(String priorityClassName) {
    this.priorityClassName = priorityClassName;
  }

  /** Returns serviceAccountName: serviceAccount of the trainer pods. */
  public String getServiceAccountName() {
    return serviceAccountName;
  }

  /** Sets serviceAccountName. */
  public void setServiceAccountName(String serviceAccountName) {
    this.serviceAccountName = serviceAccountName;
  }

  /** Returns env: extra environment variables of the trainer container. */
  public List<EnvVarSpec> getEnv() {
    return env;
  }

  /** Sets env. */
  public void setEnv(List<EnvVarSpec> env) {
    this.env = env;
  }

  /** Returns dataStorage: the data owner's own store for this pool's data. */
  public DataStorageSpec getDataStorage() {
    return dataStorage;
  }

  /** Sets dataStorage. */
  public void setDataStorage(DataStorageSpec dataStorage) {
    this.dataStorage = dataStorage;
  }

  /** Returns allowedFederations: federations of other namespaces that may train on this pool. */
  public List<FederationGrant> getAllowedFederations() {
    return allowedFederations;
  }

  /** Sets allowedFederations. */
  public void setAllowedFederations(List<FederationGrant> allowedFederations) {
    this.allowedFederations = allowedFederations;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ClientPoolSpec)) {
      return false;
    }
    ClientPoolSpec other = (ClientPoolSpec) o;
    return Objects.equals(clients, other.clients)
        && Objects.equals(rank, other.rank)
        && Objects.equals(image, other.image)
        && Objects.equals(resources, other.resources)
        && Objects.equals(nodeSelector, other.nodeSelector)
        && Objects.equals(tolerations, other.tolerations)
        && Objects.equals(affinity, other.affinity)
        && Objects.equals(runtimeClassName, other.runtimeClassName)
        && Objects.equals(priorityClassName, other.priorityClassName)
        && Objects.equals(serviceAccountName, other.serviceAccountName)
        && Objects.equals(env, other.env)
        && Objects.equals(dataStorage, other.dataStorage)
        && Objects.equals(allowedFederations, other.allowedFederations);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        clients,
        rank,
        image,
        resources,
        nodeSelector,
        tolerations,
        affinity,
        runtimeClassName,
        priorityClassName,
        serviceAccountName,
        env,
        dataStorage,
        allowedFederations);
  }
}
