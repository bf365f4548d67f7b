package dev.flotilla.core.aggregation;

import static org.bytedeco.openblas.global.openblas.CblasLeft;
import static org.bytedeco.openblas.global.openblas.CblasLower;
import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasNonUnit;
import static org.bytedeco.openblas.global.openblas.CblasRight;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.CblasUpper;
import static org.bytedeco.openblas.global.openblas.LAPACK_ROW_MAJOR;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.openblas.global.openblas;

/**
 * OpenBLAS's BLAS and LAPACK (JavaCPP presets) on row-major double arrays, called by {@link
 * OpenBlasKernels} (package-private). Only touched after {@link #loadFailure()} returned {@code
 * null}: without the native library on the class path nothing here is resolved.
 */
final class OpenBlas {
  private static final String LOAD_FAILURE = load();

  private OpenBlas() {}

  /** {@code null} when the native library loaded, else why it did not. */
  static String loadFailure() {
    return LOAD_FAILURE;
  }

  private static String load() {
    try {
      Class.forName("org.bytedeco.openblas.global.openblas");
      // one thread per call: FlexLoRA runs modules in parallel, which keeps every core busy even
      // when another process takes one (a multi-threaded call then waits for its slowest thread)
      openblas.blas_set_num_threads(1);
      return null;
    } catch (ClassNotFoundException | LinkageError e) {
      return e.toString();
    }
  }

  /** Native threads per call. */
  static int threads() {
    return openblas.blas_get_num_threads();
  }

  /** Sets the native threads per call (FlexLoRA uses 1 and runs modules in parallel). */
  static void setThreads(int threads) {
    openblas.blas_set_num_threads(threads);
  }

  /**
   * A native copy of an array that products read in its place (see {@link Matrix#attach}): a large
   * operand used by many products (a Gram matrix, a concatenated factor) is copied to native memory
   * once instead of on every call. Closing frees it.
   */
  static final class NativeCopy implements AutoCloseable {
    private final DoublePointer pointer;

    NativeCopy(double[] data) {
      this.pointer = new DoublePointer(data);
    }

    DoublePointer pointer() {
      return pointer;
    }

    @Override
    public void close() {
      pointer.close();
    }
  }

  /**
   * c (m × n) = op(A)·B; A is m × p, or p × m when {@code transA}; B is p × n. An operand with a
   * native copy ({@link Matrix#nativeCopy}) is read from it, the others are copied in; C is copied
   * out.
   */
  static void gemm(int m, int n, int p, Matrix a, boolean transA, Matrix b, double[] c) {
    try (PointerScope scope = new PointerScope()) {
      DoublePointer pc = new DoublePointer((long) m * n);
      openblas.cblas_dgemm(
          CblasRowMajor,
          transA ? CblasTrans : CblasNoTrans,
          CblasNoTrans,
          m,
          n,
          p,
          1.0,
          pointer(a),
          transA ? m : p,
          pointer(b),
          n,
          0.0,
          pc,
          n);
      pc.get(c, 0, m * n);
    }
  }

  /** The upper triangle of c (n × n) = XᵀX for X (rows × n); the strict lower part is not set. */
  static void gramUpper(Matrix x, double[] c) {
    int n = x.cols();
    try (PointerScope scope = new PointerScope()) {
      DoublePointer pc = new DoublePointer((long) n * n);
      openblas.cblas_dsyrk(
          CblasRowMajor, CblasUpper, CblasTrans, n, x.rows(), 1.0, pointer(x), n, 0.0, pc, n);
      pc.get(c, 0, n * n);
    }
  }

  /** The matrix's native copy, or a copy of its array owned by the enclosing pointer scope. */
  private static DoublePointer pointer(Matrix m) {
    NativeCopy copy = m.nativeCopy();
    return copy != null ? copy.pointer() : new DoublePointer(m.data());
  }

  /**
   * Divide-and-conquer eigen-decomposition (dsyevd) of the symmetric {@code a} (n × n, upper
   * triangle read): on success the eigenvalues are in {@code w} ascending and {@code a} holds the
   * eigenvectors as columns. Returns LAPACK's info (0 = success).
   */
  static int symmetricEigen(int n, double[] a, double[] w) {
    return openblas.LAPACKE_dsyevd(LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'U', n, a, n, w);
  }

  /**
   * The top {@code count} eigenpairs of the symmetric {@code a} (n × n, upper triangle read, a is
   * overwritten) by MRRR (dsyevr): eigenvalues ascending in {@code w[0..count)}, eigenvectors as
   * the columns of {@code z} (n × count). Returns LAPACK's info (0 = success).
   */
  static int topEigen(int n, double[] a, int count, double[] w, double[] z) {
    int[] found = new int[1];
    int[] support = new int[2 * Math.max(1, count)];
    int info =
        openblas.LAPACKE_dsyevr(
            LAPACK_ROW_MAJOR,
            (byte) 'V',
            (byte) 'I',
            (byte) 'U',
            n,
            a,
            n,
            0,
            0,
            n - count + 1,
            n,
            0,
            found,
            w,
            z,
            count,
            support);
    return info == 0 && found[0] != count ? -1 : info;
  }

  /** g := Lᵀ g L in place, for the lower triangular L (both n × n), by two dtrmm calls. */
  static void congruence(int n, double[] lower, double[] g) {
    openblas.cblas_dtrmm(
        CblasRowMajor,
        CblasRight,
        CblasLower,
        CblasNoTrans,
        CblasNonUnit,
        n,
        n,
        1.0,
        lower,
        n,
        g,
        n);
    openblas.cblas_dtrmm(
        CblasRowMajor, CblasLeft, CblasLower, CblasTrans, CblasNonUnit, n, n, 1.0, lower, n, g, n);
  }

  /** In place: the lower Cholesky factor of {@code a} (n × n); returns LAPACK's info. */
  static int cholesky(int n, double[] a) {
    return openblas.LAPACKE_dpotrf(LAPACK_ROW_MAJOR, (byte) 'L', n, a, n);
  }

  /** In place: y (n × m) := L⁻ᵀ y for the lower triangular L (n × n). */
  static void solveUpper(int n, int m, double[] lower, double[] y) {
    openblas.cblas_dtrsm(
        CblasRowMajor, CblasLeft, CblasLower, CblasTrans, CblasNonUnit, n, m, 1.0, lower, n, y, m);
  }
}
