package dev.flotilla.core.aggregation;

/**
 * A computable upper bound on ‖ΔW − Ŵ_r‖_F / ‖ΔW − W_r‖_F for a Rayleigh–Ritz rank-r truncation Ŵ_r
 * (W_r the optimal one), with C = ΔWᵀΔW (package-private).
 *
 * <p>Inputs: the exact energy ‖ΔW‖_F² = trace C, the Ritz values θ_1 ≥ θ_2 ≥ … of C, the spectral
 * norm ρ of the residual C X_s − X_s Θ_s of the top-s Ritz vectors, and an upper bound ν ≥ λ_max(F)
 * of C compressed to the orthogonal complement of those vectors. The numerator is exact: ‖ΔW −
 * Ŵ_r‖² = trace C − Σ_{i≤r} θ_i. For the denominator, writing C = [[Θ_s, Eᵀ], [E, F]], every
 * eigenvalue λ_i &gt; ν satisfies (λ_i − θ_i)(λ_i − ν) ≤ ρ² (Schur complement and Haynsworth
 * inertia), so λ_i ≤ u_i = max(ν, (θ_i + ν)/2 + √(((θ_i − ν)/2)² + ρ²)), a gap-free bound; hence
 * ‖ΔW − W_r‖² = trace C − Σ_{i≤r} λ_i ≥ trace C − Σ_{i≤r} u_i.
 */
final class OptimalityCertificate {
  /** Below this fraction of the energy a residual counts as zero (double rounding of the Grams). */
  static final double NEGLIGIBLE_ENERGY = 1e-12;

  private OptimalityCertificate() {}

  /** The bound on the error ratio for rank {@code r}, or +∞ when nothing can be certified. */
  static double ratioBound(double energy, double[] theta, int r, double nu, double rho) {
    return ratioBound(energy, theta, r, nu, 0, 0, rho);
  }

  /**
   * The bound when the top {@code t} Ritz vectors (block residual norm {@code rhoTop}) are split
   * off first: Li and Li (Linear Algebra Appl. 395, 2005) bound every eigenvalue of C by that of
   * diag(Θ_t, F_t) plus 2ρ²/(η + √(η² + 4ρ²)), η the gap from θ_t to λ_max(F_t), and the gap-free
   * bound above (with the residual {@code rhoRest} of Ritz vectors t+1..s) bounds F_t.
   */
  static double ratioBound(
      double energy, double[] theta, int r, double nu, int t, double rhoTop, double rhoRest) {
    int n = Math.min(r, theta.length);
    int top = Math.min(t, n);
    double captured = 0;
    double upper = 0;
    for (int i = 0; i < n; i++) {
      double th = Math.max(0, theta[i]);
      captured += th;
      upper += i < top ? th : gapFree(th, nu, rhoRest);
    }
    if (t > 0) {
      double restMax = t < theta.length ? gapFree(Math.max(0, theta[t]), nu, rhoRest) : nu;
      double gap = theta[t - 1] - restMax;
      if (!(gap > 0)) {
        return Double.POSITIVE_INFINITY;
      }
      upper += n * 2 * rhoTop * rhoTop / (gap + Math.sqrt(gap * gap + 4 * rhoTop * rhoTop));
    }
    double error = energy - captured;
    if (error <= NEGLIGIBLE_ENERGY * energy) {
      return 1.0;
    }
    double optimum = energy - upper;
    return optimum <= 0 ? Double.POSITIVE_INFINITY : Math.max(1.0, Math.sqrt(error / optimum));
  }

  private static double gapFree(double theta, double nu, double rho) {
    double half = (theta - nu) / 2;
    return Math.max(nu, (theta + nu) / 2 + Math.sqrt(half * half + rho * rho));
  }

  /** The relative Frobenius error ‖ΔW − Ŵ_r‖ / ‖ΔW‖ of the rank-r Ritz truncation. */
  static double relativeError(double energy, double[] theta, int r) {
    if (energy <= 0) {
      return 0;
    }
    double captured = 0;
    for (int i = 0; i < Math.min(r, theta.length); i++) {
      captured += Math.max(0, theta[i]);
    }
    return Math.sqrt(Math.max(0, energy - captured) / energy);
  }
}
