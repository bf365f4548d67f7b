package dev.flotilla.experiments;

import java.util.List;
import java.util.Locale;

/**
 * The values of one quantity over the seeds that ran, shown as their mean and, with two or more,
 * the sample standard deviation.
 *
 * @param values one value per seed
 */
public record Spread(List<Double> values) {

  /** Copies the values. */
  public Spread {
    values = List.copyOf(values);
  }

  /** The number of seeds. */
  public int n() {
    return values.size();
  }

  /** The mean (NaN without values). */
  public double mean() {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  /** The sample standard deviation (divisor n - 1; NaN with fewer than two values). */
  public double sd() {
    if (n() < 2) {
      return Double.NaN;
    }
    double mean = mean();
    double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
    return Math.sqrt(squares / (n() - 1));
  }

  /** {@code —} without values, {@code 0.712} with one, {@code 0.712 ± 0.031 (3)} with more. */
  public String format() {
    return switch (n()) {
      case 0 -> "—";
      case 1 -> String.format(Locale.ROOT, "%.3f", mean());
      default -> String.format(Locale.ROOT, "%.3f ± %.3f (%d)", mean(), sd(), n());
    };
  }
}
