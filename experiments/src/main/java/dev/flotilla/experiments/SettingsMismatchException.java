package dev.flotilla.experiments;

/** The requested settings differ from those recorded with the stored results. */
public final class SettingsMismatchException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A mismatch explained by {@code message}. */
  public SettingsMismatchException(String message) {
    super(message);
  }
}
