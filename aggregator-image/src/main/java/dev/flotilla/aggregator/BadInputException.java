package dev.flotilla.aggregator;

/** Invalid options or round state (e.g. no plan): running again cannot help. */
public final class BadInputException extends Exception {
  /** With the message shown to the user. */
  public BadInputException(String message) {
    super(message);
  }
}
