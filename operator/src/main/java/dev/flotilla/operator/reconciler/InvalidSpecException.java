package dev.flotilla.operator.reconciler;

/**
 * A Federation or ClientPool cannot be acted on as written (missing pool, bad storage Secret…);
 * reported in a condition rather than retried as an error.
 */
public class InvalidSpecException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String reason;

  /** A problem with a condition {@code reason} (CamelCase) and a message naming the field. */
  public InvalidSpecException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** A problem caused by {@code cause}. */
  public InvalidSpecException(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** The condition reason, e.g. {@code StorageSecretInvalid}. */
  public String reason() {
    return reason;
  }
}
