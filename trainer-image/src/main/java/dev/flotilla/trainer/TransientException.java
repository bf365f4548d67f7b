package dev.flotilla.trainer;

/** A storage or network failure worth retrying; maps to {@link ExitCodes#TRANSIENT}. */
public class TransientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A retryable failure with its cause. */
  public TransientException(String message, Throwable cause) {
    super(message, cause);
  }
}
