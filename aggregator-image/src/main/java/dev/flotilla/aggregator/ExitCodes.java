package dev.flotilla.aggregator;

/** Process exit codes of the aggregator, the same as the trainer's. */
public final class ExitCodes {
  /** The round is committed (now, or by an earlier run). */
  public static final int OK = 0;

  /** Unexpected failure (a bug or an unclassified error). */
  public static final int FAILURE = 1;

  /** Bad input (options, plan, quorum not met with valid storage): retrying cannot help. */
  public static final int BAD_INPUT = 2;

  /** Transient failure (object storage or network): the same invocation may succeed later. */
  public static final int TRANSIENT = 3;

  private ExitCodes() {}
}
