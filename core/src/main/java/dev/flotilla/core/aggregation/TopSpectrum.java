package dev.flotilla.core.aggregation;

/**
 * The computed top of the spectrum of one module's ΔW: right singular vectors as V = A_catᵀ·Y (Y
 * orthonormal in the G_A inner product), squared singular values θ, and how they were obtained
 * (package-private).
 *
 * @param y R × t coordinates of the right singular vectors
 * @param theta the t squared singular values, descending
 * @param path which solver path ran
 * @param blocks Krylov blocks built (0 on the exact path)
 * @param subspaceDim dimension of the Rayleigh–Ritz subspace
 * @param worstRatioBound the largest certified bound on ‖ΔW − Ŵ_r‖/‖ΔW − W_r‖ over the target ranks
 *     (1 on the exact path)
 */
record TopSpectrum(
    Matrix y,
    double[] theta,
    SolverPath path,
    int blocks,
    int subspaceDim,
    double worstRatioBound) {}
