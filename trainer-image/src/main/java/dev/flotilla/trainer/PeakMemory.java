package dev.flotilla.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak resident set size of this process ({@code VmHWM} in {@code /proc/self/status}). */
public final class PeakMemory {
  private PeakMemory() {}

  /** Peak RSS in bytes; the JVM's committed heap when {@code /proc} is unavailable. */
  public static long bytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          String kb = line.substring("VmHWM:".length()).trim().split("\\s+")[0];
          return Long.parseLong(kb) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall through
    }
    return Runtime.getRuntime().totalMemory();
  }
}
