package dev.flotilla.core.aggregation;

/** How client weights p_c are derived. */
public enum Weighting {
  /** p_c = n_c / Σ n, n_c the sample count the client reported. */
  SAMPLES,
  /** p_c = 1 / K. */
  UNIFORM;

  /**
   * Parses a name case-insensitively.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static Weighting forName(String name) {
    if (name != null) {
      for (Weighting w : values()) {
        if (w.name().equalsIgnoreCase(name.trim())) {
          return w;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown weighting '" + name + "'; expected samples or uniform");
  }
}
