package dev.flotilla.core.aggregation;

/**
 * Per-module record of how the aggregate was computed, written into the round manifest.
 *
 * @param path the solver path
 * @param innerRank R = Σ client ranks of this module
 * @param iterations Krylov blocks built (0 unless {@link SolverPath#TRUNCATED})
 * @param subspaceDim dimension of the Rayleigh–Ritz subspace (0 for factor averaging)
 * @param relativeError ‖ΔW − Ŵ_g‖_F / ‖ΔW‖_F at the global rank g (computed exactly from Gram
 *     matrices; NaN for factor averaging, which does not target ΔW)
 * @param optimalityBound certified upper bound on ‖ΔW − Ŵ_r‖_F / ‖ΔW − W_r‖_F over all target ranks
 *     (1 for the exact path; NaN for factor averaging)
 * @param seconds wall-clock time spent on this module
 */
public record ModuleDiagnostics(
    SolverPath path,
    int innerRank,
    int iterations,
    int subspaceDim,
    double relativeError,
    double optimalityBound,
    double seconds) {}
