package dev.flotilla.core.aggregation;

/** How a module's aggregate was computed. */
public enum SolverPath {
  /** Full eigen-decomposition of the R × R problem (R = Σ client ranks): exact up to rounding. */
  EXACT,
  /** Certified block Krylov on the R × R problem, stopped at the (1 + 1e-3) optimality bound. */
  TRUNCATED,
  /** Factor averaging (FedAvg, HetLoRA): no decomposition. */
  FACTOR_AVERAGE
}
