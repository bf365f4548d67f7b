package dev.flotilla.model.train;

/**
 * Linear warm-up then linear decay to 0, as Hugging Face's {@code get_linear_schedule_with_warmup}:
 * the factor for optimizer step {@code s} (0-based) is {@code s / warmup} during warm-up and {@code
 * (total − s) / (total − warmup)} after.
 */
public record LinearSchedule(double baseLr, int warmupSteps, int totalSteps) {

  /** A schedule whose warm-up is {@code ceil(ratio · total)} steps. */
  public static LinearSchedule withWarmupRatio(double baseLr, double ratio, int totalSteps) {
    return new LinearSchedule(baseLr, (int) Math.ceil(ratio * totalSteps), totalSteps);
  }

  /** The learning rate for 0-based step {@code step}. */
  public double lr(int step) {
    if (step < warmupSteps) {
      return baseLr * step / Math.max(1, warmupSteps);
    }
    return baseLr
        * Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
  }
}
