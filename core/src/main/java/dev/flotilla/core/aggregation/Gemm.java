package dev.flotilla.core.aggregation;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The pure-Java matrix products of the aggregation kernels (package-private): a cache-blocked,
 * multi-threaded double kernel whose inner loop updates four rows of C with four rank-one terms per
 * pass, a form the JIT vectorises. {@link JavaKernels} runs every product here, {@link
 * OpenBlasKernels} the small ones.
 */
final class Gemm {
  private static final int ROWS_PER_TASK = 32;

  private static final int KC = 256;
  private static final int NC = 256;
  private static final double PARALLEL_FLOPS = 4e6;

  private Gemm() {}

  /**
   * Overwrites c (m × n) with op(A)·B, op(A) m × p: A, or Aᵀ (stored p × m) when {@code transA}.
   */
  static void product(int m, int n, int p, double[] a, boolean transA, double[] b, double[] c) {
    Arrays.fill(c, 0, m * n, 0);
    run(m, 2.0 * m * n * p, i0 -> kernel(m, n, p, a, transA, b, c, i0, false));
  }

  /** Accumulates the upper triangle of XᵀX (n × n, X rows × n) into the zeroed {@code c}. */
  static void gramUpper(int rows, int n, double[] x, double[] c) {
    run(n, (double) rows * n * n, i0 -> kernel(n, n, rows, x, true, x, c, i0, true));
  }

  /** Copies the upper triangle of the n × n {@code c} into its lower one, tile by tile. */
  static void mirrorUpper(double[] c, int n) {
    final int tile = 64;
    for (int i0 = 0; i0 < n; i0 += tile) {
      for (int j0 = i0; j0 < n; j0 += tile) {
        for (int i = i0; i < Math.min(n, i0 + tile); i++) {
          for (int j = Math.max(j0, i + 1); j < Math.min(n, j0 + tile); j++) {
            c[j * n + i] = c[i * n + j];
          }
        }
      }
    }
  }

  private interface RowTask {
    void rows(int firstRow);
  }

  private static void run(int rows, double flops, RowTask task) {
    int tasks = (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
    if (flops < PARALLEL_FLOPS || tasks == 1) {
      for (int t = 0; t < tasks; t++) {
        task.rows(t * ROWS_PER_TASK);
      }
    } else {
      IntStream.range(0, tasks).parallel().forEach(t -> task.rows(t * ROWS_PER_TASK));
    }
  }

  /**
   * Accumulates rows {@code [i0, i0 + ROWS_PER_TASK)} of {@code C += op(A) · B}, where op(A) is A
   * or Aᵀ; with {@code upper} only columns {@code j ≥ i} (rounded down to the 4-row block) are
   * computed.
   */
  private static void kernel(
      int m,
      int n,
      int p,
      double[] ad,
      boolean transA,
      double[] bd,
      double[] cd,
      int i0,
      boolean upper) {
    final int iEnd = Math.min(m, i0 + ROWS_PER_TASK);
    // element (i, k) of op(A) is ad[i * si + k * sk]
    final int si = transA ? 1 : p;
    final int sk = transA ? m : 1;
    for (int jj = upper ? (i0 / NC) * NC : 0; jj < n; jj += NC) {
      final int je = Math.min(n, jj + NC);
      for (int kk = 0; kk < p; kk += KC) {
        final int ke = Math.min(p, kk + KC);
        int i = i0;
        for (; i + 4 <= iEnd; i += 4) {
          final int js = upper ? Math.max(jj, i) : jj;
          if (js >= je) {
            continue;
          }
          final int c0 = i * n;
          final int c1 = c0 + n;
          final int c2 = c1 + n;
          final int c3 = c2 + n;
          int k = kk;
          for (; k + 4 <= ke; k += 4) {
            final int o = i * si + k * sk;
            final double a00 = ad[o];
            final double a10 = ad[o + si];
            final double a20 = ad[o + 2 * si];
            final double a30 = ad[o + 3 * si];
            final double a01 = ad[o + sk];
            final double a11 = ad[o + si + sk];
            final double a21 = ad[o + 2 * si + sk];
            final double a31 = ad[o + 3 * si + sk];
            final double a02 = ad[o + 2 * sk];
            final double a12 = ad[o + si + 2 * sk];
            final double a22 = ad[o + 2 * si + 2 * sk];
            final double a32 = ad[o + 3 * si + 2 * sk];
            final double a03 = ad[o + 3 * sk];
            final double a13 = ad[o + si + 3 * sk];
            final double a23 = ad[o + 2 * si + 3 * sk];
            final double a33 = ad[o + 3 * si + 3 * sk];
            final int b0 = k * n;
            final int b1 = b0 + n;
            final int b2 = b1 + n;
            final int b3 = b2 + n;
            for (int j = js; j < je; j++) {
              final double x0 = bd[b0 + j];
              final double x1 = bd[b1 + j];
              final double x2 = bd[b2 + j];
              final double x3 = bd[b3 + j];
              cd[c0 + j] += a00 * x0 + a01 * x1 + a02 * x2 + a03 * x3;
              cd[c1 + j] += a10 * x0 + a11 * x1 + a12 * x2 + a13 * x3;
              cd[c2 + j] += a20 * x0 + a21 * x1 + a22 * x2 + a23 * x3;
              cd[c3 + j] += a30 * x0 + a31 * x1 + a32 * x2 + a33 * x3;
            }
          }
          for (; k < ke; k++) {
            final int o = i * si + k * sk;
            final double a0 = ad[o];
            final double a1 = ad[o + si];
            final double a2 = ad[o + 2 * si];
            final double a3 = ad[o + 3 * si];
            final int b0 = k * n;
            for (int j = js; j < je; j++) {
              final double x = bd[b0 + j];
              cd[c0 + j] += a0 * x;
              cd[c1 + j] += a1 * x;
              cd[c2 + j] += a2 * x;
              cd[c3 + j] += a3 * x;
            }
          }
        }
        for (; i < iEnd; i++) {
          final int js = upper ? Math.max(jj, i) : jj;
          final int c0 = i * n;
          for (int k = kk; k < ke; k++) {
            final double a0 = ad[i * si + k * sk];
            final int b0 = k * n;
            for (int j = js; j < je; j++) {
              cd[c0 + j] += a0 * bd[b0 + j];
            }
          }
        }
      }
    }
  }
}
