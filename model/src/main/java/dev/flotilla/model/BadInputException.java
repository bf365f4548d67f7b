package dev.flotilla.model;

/**
 * Invalid user input (options, data file, model directory, adapter): running again cannot help (the
 * programs' "bad input" exit code).
 */
public class BadInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error whose message names the offending field or file. */
  public BadInputException(String message) {
    super(message);
  }

  /** An error whose message names the offending field or file, with its cause. */
  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
