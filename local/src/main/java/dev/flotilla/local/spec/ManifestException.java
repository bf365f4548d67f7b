package dev.flotilla.local.spec;

import java.util.List;

/** A manifest file that cannot be run: unreadable, not YAML, or rejected by CRD validation. */
public final class ManifestException extends Exception {
  private final List<String> fieldErrors;

  ManifestException(String message, List<String> fieldErrors) {
    super(message);
    this.fieldErrors = List.copyOf(fieldErrors);
  }

  /** A problem described by {@code message} alone. */
  public ManifestException(String message) {
    this(message, List.of());
  }

  /** The individual API-server style field errors (empty for parse errors). */
  public List<String> fieldErrors() {
    return fieldErrors;
  }
}
