package dev.flotilla.packaging;

import java.util.List;

/**
 * Outcome of one external command.
 *
 * @param command the command line, for messages
 * @param exitCode the process exit code
 * @param stdout standard output
 * @param stderr standard error
 */
public record ProcessResult(List<String> command, int exitCode, String stdout, String stderr) {

  /** Standard output, or an {@link AssertionError} with both streams if the command failed. */
  public String stdoutOrFail() {
    if (exitCode != 0) {
      throw new AssertionError(describe());
    }
    return stdout;
  }

  /** The command, its exit code and both streams. */
  public String describe() {
    return String.join(" ", command)
        + " exited with "
        + exitCode
        + "\n--- stdout ---\n"
        + stdout
        + "\n--- stderr ---\n"
        + stderr;
  }
}
