package dev.flotilla.model;

/** A storage or network failure worth retrying (the programs' "transient" exit code). */
public class TransientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A retryable failure with its cause. */
  public TransientException(String message, Throwable cause) {
    super(message, cause);
  }
}
