package dev.flotilla.core.storage;

import java.io.FileNotFoundException;

/** Thrown when an object store has no object under the requested key. */
public class NoSuchObjectException extends FileNotFoundException {

  private final String key;

  /** Creates the exception for {@code key} of the store described by {@code where}. */
  public NoSuchObjectException(String where, String key) {
    super("no object " + key + " in " + where);
    this.key = key;
  }

  /** The missing key. */
  public String key() {
    return key;
  }
}
