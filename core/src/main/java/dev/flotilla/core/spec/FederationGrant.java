package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/**
 * The data owner's side of a cross-namespace grant: Federations of one namespace (or one of them)
 * that may train on a ClientPool.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FederationGrant {

  @JsonPropertyDescription("Namespace of the accepted Federation(s).")
  @Required
  @Pattern(PoolAccess.DNS_LABEL)
  @Size(max = 63)
  private String namespace;

  @JsonPropertyDescription(
      "Name of the accepted Federation; omitted: every Federation of that namespace.")
  @Pattern(PoolAccess.DNS_LABEL)
  @Size(max = 63)
  private String name;

  /** An empty grant (for deserialisation). */
  public FederationGrant() {}

  /** A grant to {@code namespace/name} ({@code name} null: the whole namespace). */
  public FederationGrant(String namespace, String name) {
    this.namespace = namespace;
    this.name = name;
  }

  /** Returns namespace: namespace of the accepted Federation(s). */
  public String getNamespace() {
    return namespace;
  }

  /** Sets namespace. */
  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  /** Returns name: name of the accepted Federation; null: every Federation of the namespace. */
  public String getName() {
    return name;
  }

  /** Sets name. */
  public void setName(String name) {
    this.name = name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FederationGrant other
        && Objects.equals(namespace, other.namespace)
        && Objects.equals(name, other.name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(namespace, name);
  }
}
