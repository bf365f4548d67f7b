package dev.flotilla.core.workload;

import java.util.ArrayList;
import java.util.List;

/**
 * Exit codes of the trainer and the aggregator, and which failures are worth running again. Every
 * program, the operator (through its Jobs' pod failure policy) and the local runtime use this one
 * definition.
 */
public enum ExitCode {
  /** Success: the adapter is uploaded, or the round committed. */
  OK(0),
  /** Unexpected failure (a bug, an unclassified error, diverged training): not retried. */
  FAILURE(1),
  /** Bad input (options, data, model, configuration, quorum not met): not retried. */
  BAD_INPUT(2),
  /** Transient failure (object storage or network): the same invocation may succeed later. */
  TRANSIENT(3);

  /** Exit codes above this one mean the process was killed by signal {@code code - 128}. */
  public static final int SIGNAL_BASE = 128;

  /** The highest exit code a container reports. */
  public static final int MAX = 255;

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  /** The process exit code. */
  public int code() {
    return code;
  }

  /**
   * Whether a process that exited with {@code code} may succeed when run again: transient failures
   * and kills by a signal (the kernel's OOM killer, a node drain) are; the program's own verdicts
   * of bad input or an unexpected failure are not.
   */
  public static boolean retriable(int code) {
    return code == TRANSIENT.code || code > SIGNAL_BASE;
  }

  /**
   * The non-zero exit codes that are retriable, ascending: the values of the pod failure policy
   * rule that lets every other failure fail the Job at once.
   */
  public static List<Integer> retriableCodes() {
    List<Integer> codes = new ArrayList<>();
    for (int c = 1; c <= MAX; c++) {
      if (retriable(c)) {
        codes.add(c);
      }
    }
    return codes;
  }

  /** A CamelCase failure reason for {@code code}, like a Job condition's reason. */
  public static String reason(int code) {
    if (code > SIGNAL_BASE) {
      return "KilledBySignal" + (code - SIGNAL_BASE);
    }
    for (ExitCode e : values()) {
      if (e.code == code) {
        return switch (e) {
          case OK -> "Succeeded";
          case FAILURE -> "Error";
          case BAD_INPUT -> "BadInput";
          case TRANSIENT -> "TransientError";
        };
      }
    }
    return "ExitCode" + code;
  }
}
