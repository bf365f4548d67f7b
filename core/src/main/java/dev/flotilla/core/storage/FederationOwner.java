package dev.flotilla.core.storage;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Who owns a federation's prefix in object storage ({@code <prefix>/<federation>/owner.json}): the
 * first Federation to run there claims it with a conditional write, and any other Federation (a
 * same-named one in another namespace, or a new one after a delete) refuses to adopt the rounds it
 * finds.
 *
 * @param schemaVersion {@link #SCHEMA_VERSION}
 * @param namespace the Federation's namespace ({@code local} for the local runtime)
 * @param name the Federation's name
 * @param uid the Federation's uid (a local run's id)
 */
public record FederationOwner(
    @JsonProperty(required = true) int schemaVersion, String namespace, String name, String uid) {

  /** The current document version. */
  public static final int SCHEMA_VERSION = 1;

  /** Checks the fields. */
  public FederationOwner {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uid, "uid");
  }

  /** An owner record of the current version. */
  public static FederationOwner of(String namespace, String name, String uid) {
    return new FederationOwner(SCHEMA_VERSION, namespace, name, uid);
  }

  /** Whether {@code other} is the same Federation (same uid). */
  public boolean sameAs(FederationOwner other) {
    return uid.equals(other.uid);
  }

  @Override
  public String toString() {
    return namespace + "/" + name + " (uid " + uid + ")";
  }
}
