package dev.flotilla.core.spec;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Go-style duration strings such as {@code 30m}, {@code 1h30m} or {@code 1.5h}. */
public final class DurationStrings {

  private static final Pattern WHOLE = Pattern.compile("([0-9]+(\\.[0-9]+)?(ms|s|m|h))+");
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

  /** Longer durations are refused rather than wrapped: ten years, far above any timeout. */
  private static final Duration MAX = Duration.ofDays(3650);

  private DurationStrings() {}

  /**
   * Parses {@code value}.
   *
   * @param field the field name used in the error message
   * @throws IllegalArgumentException naming the field when the value is malformed, not positive or
   *     longer than ten years (never wrapped to a negative duration)
   */
  public static Duration parse(String field, String value) {
    return parse(field, value, MAX);
  }

  /**
   * Parses {@code value}, refusing durations longer than {@code max} as soon as the running sum
   * exceeds it (so no value, however long, can overflow).
   *
   * @throws IllegalArgumentException naming the field and {@code max} when the value is longer
   */
  public static Duration parse(String field, String value, Duration max) {
    BigDecimal maxMillis = BigDecimal.valueOf(max.toMillis());
    if (value == null || !WHOLE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field + " must be a duration like 30m, 1h30m or 90s, got '" + value + "'");
    }
    BigDecimal millis = BigDecimal.ZERO;
    Matcher part = PART.matcher(value);
    while (part.find()) {
      BigDecimal amount = new BigDecimal(part.group(1));
      long unit =
          switch (part.group(2)) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            default -> 3_600_000L;
          };
      millis = millis.add(amount.multiply(BigDecimal.valueOf(unit)));
      if (millis.compareTo(maxMillis) > 0) {
        throw new IllegalArgumentException(
            field + " must be at most " + max.toHours() + "h, got '" + value + "'");
      }
    }
    Duration duration = Duration.ofMillis(millis.longValue());
    if (duration.isZero()) {
      throw new IllegalArgumentException(field + " must be positive, got '" + value + "'");
    }
    return duration;
  }
}
