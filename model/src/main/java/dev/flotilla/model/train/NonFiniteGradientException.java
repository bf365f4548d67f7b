package dev.flotilla.model.train;

/** Training diverged: a gradient became NaN or infinite (no update is applied). */
public final class NonFiniteGradientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error naming the parameter and step. */
  public NonFiniteGradientException(String message) {
    super(message);
  }
}
