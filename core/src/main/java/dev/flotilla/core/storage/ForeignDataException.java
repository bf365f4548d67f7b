package dev.flotilla.core.storage;

import java.io.IOException;

/**
 * The federation's prefix holds data this Federation must not adopt: another Federation's owner
 * record, or a manifest whose federation or round disagrees with its key. Not retriable.
 */
public class ForeignDataException extends IOException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message naming the object and what it says. */
  public ForeignDataException(String message) {
    super(message);
  }
}
