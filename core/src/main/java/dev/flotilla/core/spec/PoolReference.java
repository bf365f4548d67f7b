package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** A ClientPool named by namespace and name: the Federation's side of a cross-namespace grant. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PoolReference {

  @JsonPropertyDescription(
      "Namespace of the ClientPool (its data owner's namespace). The pool must accept this"
          + " Federation in its spec.allowedFederations unless it is the Federation's own"
          + " namespace.")
  @Required
  @Pattern(PoolAccess.DNS_LABEL)
  @Size(max = 63)
  private String namespace;

  @JsonPropertyDescription("Name of the ClientPool.")
  @Required
  @Pattern(PoolAccess.DNS_SUBDOMAIN)
  @Size(max = 253)
  private String name;

  /** An empty reference (for deserialisation). */
  public PoolReference() {}

  /** A reference to {@code namespace/name}. */
  public PoolReference(String namespace, String name) {
    this.namespace = namespace;
    this.name = name;
  }

  /** Returns namespace: namespace of the ClientPool. */
  public String getNamespace() {
    return namespace;
  }

  /** Sets namespace. */
  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  /** Returns name: name of the ClientPool. */
  public String getName() {
    return name;
  }

  /** Sets name. */
  public void setName(String name) {
    this.name = name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PoolReference other
        && Objects.equals(namespace, other.namespace)
        && Objects.equals(name, other.name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(namespace, name);
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
