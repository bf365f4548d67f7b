package dev.flotilla.local.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Writes the per-round metrics as CSV (empty cells for metrics a round did not report; round 0, the
 * untrained starting point, has empty client counts).
 */
public final class MetricsCsv {
  /** The CSV header. */
  public static final String HEADER =
      "round,sampled,succeeded,failed,train_loss,eval_loss,eval_accuracy,seconds";

  private MetricsCsv() {}

  /** Writes {@code rounds} to {@code file}, replacing it atomically. */
  public static void write(Path file, List<RoundResult> rounds) throws IOException {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (RoundResult r : rounds) {
      sb.append(r.round())
          .append(',')
          .append(clients(r, r.sampled()))
          .append(',')
          .append(clients(r, r.succeeded()))
          .append(',')
          .append(clients(r, r.failed()))
          .append(',')
          .append(cell(r.trainLoss()))
          .append(',')
          .append(cell(r.evalLoss()))
          .append(',')
          .append(cell(r.evalAccuracy()))
          .append(',')
          .append(
              Double.isFinite(r.seconds()) ? String.format(Locale.ROOT, "%.1f", r.seconds()) : "")
          .append('\n');
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, sb);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String clients(RoundResult r, int count) {
    return r.round() == 0 ? "" : Integer.toString(count);
  }

  private static String cell(OptionalDouble value) {
    return value.isPresent() ? String.format(Locale.ROOT, "%.6f", value.getAsDouble()) : "";
  }
}
