package dev.flotilla.core.aggregation;

/**
 * A double-precision matrix product over row-major arrays, the pluggable kernel for FlexLoRA's
 * large products (Gram matrices, Krylov blocks, output factors). Implementations must be
 * thread-safe: modules are aggregated in parallel.
 */
public interface GemmBackend {
  /**
   * Overwrites {@code c} (m × n) with op(A)·B, where op(A) is m × p: A is stored m × p, or p × m
   * when {@code transposeA}; B is p × n.
   */
  void multiply(int m, int n, int p, double[] a, boolean transposeA, double[] b, double[] c);

  /** A short name for logs and benchmark output. */
  String name();
}
