package dev.flotilla.local.run;

/**
 * Exit codes shared by the trainer and aggregator processes: 0 success, 1 error, 2 bad input (data,
 * config or model: running again cannot help), 3 transient (storage or network).
 */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;

  /** Bad input: not retriable. */
  public static final int BAD_INPUT = 2;

  /** Transient failure: retriable. */
  public static final int TRANSIENT = 3;

  private ExitCodes() {}

  /** Whether a process that exited with {@code code} may succeed when run again. */
  static boolean isRetriable(Integer code) {
    return code == null || code == TRANSIENT || code > 128;
  }

  /** A CamelCase failure reason for {@code code}, like a Job condition's reason. */
  static String describe(Integer code) {
    if (code == null) {
      return "ProcessLost";
    }
    return switch (code) {
      case BAD_INPUT -> "BadInput";
      case TRANSIENT -> "TransientError";
      case 1 -> "Error";
      default -> code > 128 ? "KilledBySignal" + (code - 128) : "ExitCode" + code;
    };
  }
}
