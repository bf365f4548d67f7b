package dev.flotilla.local.report;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The live progress line of a run: round, clients done/failed/running and the latest loss. On a
 * terminal the line is redrawn in place; otherwise a line is printed only when it changes.
 */
public final class ProgressDisplay {
  /** What the line shows. */
  public record Progress(
      int round,
      int rounds,
      String phase,
      int sampled,
      int succeeded,
      int failed,
      int running,
      OptionalDouble lastLoss,
      OptionalDouble lastAccuracy) {}

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final PrintStream out;
  private final boolean interactive;
  private final Instant started = Instant.now();
  private String lastShown = "";
  private int lastLength;

  /** Draws on {@code out}; {@code interactive} redraws in place with carriage returns. */
  public ProgressDisplay(PrintStream out, boolean interactive) {
    this.out = out;
    this.interactive = interactive;
  }

  /** A display on standard output, redrawing in place when it is a terminal. */
  public static ProgressDisplay onStdout() {
    return new ProgressDisplay(System.out, System.console() != null);
  }

  /** Shows {@code progress}. */
  public synchronized void show(Progress progress) {
    String text = render(progress);
    if (text.equals(lastShown)) {
      if (interactive) {
        redraw(text + "  " + elapsed());
      }
      return;
    }
    lastShown = text;
    if (interactive) {
      redraw(text + "  " + elapsed());
    } else {
      out.println(text + "  " + elapsed());
    }
  }

  /** Prints {@code message} on its own line after the time, keeping the progress line below it. */
  public synchronized void message(String message) {
    if (interactive && lastLength > 0) {
      out.print("\r" + " ".repeat(lastLength) + "\r");
      lastLength = 0;
    }
    out.println(CLOCK.format(LocalTime.now()) + " " + message);
    lastShown = "";
  }

  /** Ends the progress line. */
  public synchronized void finish() {
    if (interactive && lastLength > 0) {
      out.println();
      lastLength = 0;
    }
  }

  static String render(Progress p) {
    StringBuilder sb =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "round %d/%d %-11s clients %d/%d done, %d failed, %d running",
                p.round(),
                p.rounds(),
                p.phase(),
                p.succeeded(),
                p.sampled(),
                p.failed(),
                p.running()));
    p.lastLoss().ifPresent(v -> sb.append(String.format(Locale.ROOT, "  train loss %.4f", v)));
    p.lastAccuracy()
        .ifPresent(v -> sb.append(String.format(Locale.ROOT, "  eval accuracy %.4f", v)));
    return sb.toString();
  }

  private String elapsed() {
    Duration d = Duration.between(started, Instant.now());
    return String.format(Locale.ROOT, "[%dm%02ds]", d.toMinutes(), d.toSecondsPart());
  }

  private void redraw(String text) {
    String padded =
        text.length() < lastLength ? text + " ".repeat(lastLength - text.length()) : text;
    out.print("\r" + padded);
    out.flush();
    lastLength = text.length();
  }
}
