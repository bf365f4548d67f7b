package dev.flotilla.aggregator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sample counts that weight the accepted clients. {@code numSamples} is the client's own claim
 * and neither the plan nor the pools record data sizes, so each claim is capped at {@link
 * #MEDIAN_FACTOR} × the lower median of the accepted clients' claims (the lower median, so that
 * with two clients the larger claim cannot set its own cap) and at {@link #MAX_SAMPLES}. A client
 * that inflates its count therefore weighs at most as much as {@code MEDIAN_FACTOR} median clients,
 * while honest clients with up to 4× the lower median's data keep their full weight.
 */
final class SampleCap {
  /** A client counts at most this many times the median claim. */
  static final long MEDIAN_FACTOR = 4;

  /**
   * A hard cap far above any fine-tuning set (about 10^12 examples), which keeps the sums of counts
   * exact in a {@code long}.
   */
  static final long MAX_SAMPLES = 1L << 40;

  private SampleCap() {}

  /** Client id → counted samples, in the order of {@code claims}. */
  static Map<String, Long> counted(Map<String, Long> claims) {
    List<Long> sorted = claims.values().stream().sorted().toList();
    Map<String, Long> counted = new LinkedHashMap<>();
    if (sorted.isEmpty()) {
      return counted;
    }
    long lowerMedian = Math.min(sorted.get((sorted.size() - 1) / 2), MAX_SAMPLES);
    long cap = Math.min(MAX_SAMPLES, MEDIAN_FACTOR * lowerMedian);
    claims.forEach((client, claim) -> counted.put(client, Math.min(claim, cap)));
    return counted;
  }
}
