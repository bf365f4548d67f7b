package dev.flotilla.local.run;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one-line reason a workload printed before exiting with an error ({@code flotilla-trainer: …}
 * or {@code flotilla-aggregator: …}), read from the end of its log for the console.
 */
final class FailureReason {
  private static final int TAIL_BYTES = 64 * 1024;
  private static final String[] PREFIXES = {"flotilla-trainer: ", "flotilla-aggregator: "};

  private FailureReason() {}

  /** The last reason line of {@code log}, if it has one. */
  static Optional<String> of(Path log) {
    if (log == null) {
      return Optional.empty();
    }
    String tail;
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long start = Math.max(0, file.length() - TAIL_BYTES);
      byte[] bytes = new byte[(int) (file.length() - start)];
      file.seek(start);
      file.readFully(bytes);
      tail = new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return Optional.empty();
    }
    String[] lines = tail.split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      for (String prefix : PREFIXES) {
        int at = lines[i].indexOf(prefix);
        if (at >= 0) {
          return Optional.of(lines[i].substring(at + prefix.length()).strip());
        }
      }
    }
    return Optional.empty();
  }
}
