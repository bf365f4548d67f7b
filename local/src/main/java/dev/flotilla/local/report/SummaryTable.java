package dev.flotilla.local.report;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** Renders the per-round results as a fixed-width text table for the terminal. */
public final class SummaryTable {
  private static final String FORMAT = "%5s  %7s  %9s  %6s  %10s  %9s  %8s  %7s%n";

  private SummaryTable() {}

  /**
   * The table for {@code rounds}, header first, {@code -} for metrics not reported (round 0, the
   * untrained starting point, has no clients).
   */
  public static String render(List<RoundResult> rounds) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            FORMAT,
            "round",
            "sampled",
            "succeeded",
            "failed",
            "train loss",
            "eval loss",
            "accuracy",
            "seconds"));
    for (RoundResult r : rounds) {
      sb.append(
          String.format(
              Locale.ROOT,
              FORMAT,
              r.round(),
              clients(r, r.sampled()),
              clients(r, r.succeeded()),
              clients(r, r.failed()),
              cell(r.trainLoss()),
              cell(r.evalLoss()),
              cell(r.evalAccuracy()),
              Double.isFinite(r.seconds())
                  ? String.format(Locale.ROOT, "%.1f", r.seconds())
                  : "-"));
    }
    return sb.toString();
  }

  private static String clients(RoundResult r, int count) {
    return r.round() == 0 ? "-" : Integer.toString(count);
  }

  private static String cell(OptionalDouble value) {
    return value.isPresent() ? String.format(Locale.ROOT, "%.4f", value.getAsDouble()) : "-";
  }
}
