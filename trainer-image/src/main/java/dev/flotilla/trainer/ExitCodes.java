package dev.flotilla.trainer;

/** Process exit codes of the trainer and import commands (documented in the CLI help). */
public final class ExitCodes {
  /** Training finished and the adapter plus metrics were uploaded. */
  public static final int OK = 0;

  /** Unexpected failure (a bug or an unclassified error); retrying is unlikely to help. */
  public static final int FAILURE = 1;

  /** Bad input: invalid options, data, configuration or model files; retrying cannot help. */
  public static final int BAD_INPUT = 2;

  /** Transient failure (object storage or network); the same invocation may succeed later. */
  public static final int TRANSIENT = 3;

  private ExitCodes() {}
}
