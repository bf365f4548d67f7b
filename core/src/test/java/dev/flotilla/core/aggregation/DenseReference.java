package dev.flotilla.core.aggregation;

import dev.flotilla.core.adapter.LoraModule;
import java.util.List;
import org.bytedeco.openblas.global.openblas;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/** Dense reference for tests and benchmarks only: materialises ΔW and takes its full SVD. */
public final class DenseReference {
  private DenseReference() {}

  /** (scale)·B·A as a dense d × k matrix. */
  public static DMatrixRMaj product(LoraModule m, double scale) {
    DMatrixRMaj a = toMatrix(m.a().data(), m.rank(), m.inFeatures());
    DMatrixRMaj b = toMatrix(m.b().data(), m.outFeatures(), m.rank());
    DMatrixRMaj out = new DMatrixRMaj(m.outFeatures(), m.inFeatures());
    CommonOps_DDRM.mult(scale, b, a, out);
    return out;
  }

  /** ΔW = Σ_c weights[c]·(alphas[c]/r_c)·B_c·A_c. */
  public static DMatrixRMaj update(List<LoraModule> modules, double[] weights, double[] alphas) {
    DMatrixRMaj sum = new DMatrixRMaj(modules.get(0).outFeatures(), modules.get(0).inFeatures());
    for (int c = 0; c < modules.size(); c++) {
      LoraModule m = modules.get(c);
      CommonOps_DDRM.addEquals(sum, product(m, weights[c] * alphas[c] / m.rank()));
    }
    return sum;
  }

  /**
   * ΔW as one product B_cat·A_cat (d × R times R × k) on {@code kernels}: the fast way to form it,
   * used to time a strong dense reference.
   */
  public static DMatrixRMaj updateByProduct(
      List<LoraModule> modules, double[] weights, double[] alphas, DenseKernels kernels) {
    double[] scales = new double[modules.size()];
    for (int c = 0; c < scales.length; c++) {
      scales[c] = weights[c] * alphas[c] / modules.get(c).rank();
    }
    Matrix up = FactoredUpdate.concatenatedUp(modules, scales);
    Matrix down = FactoredUpdate.concatenatedDown(modules);
    Matrix[] out = new Matrix[1];
    Runnable product = () -> out[0] = kernels.multiply(up, down);
    if (kernels instanceof OpenBlasKernels) {
      allProcessors(product);
    } else {
      product.run();
    }
    return DMatrixRMaj.wrap(up.rows(), down.cols(), out[0].data());
  }

  /**
   * The full SVD of {@code w} (singular values descending): LAPACK's dgesdd (OpenBLAS), the routine
   * {@code torch.linalg.svd} calls on a CPU, with the OpenBLAS {@code kernels}; else EJML.
   */
  public static Svd svd(DMatrixRMaj w, DenseKernels kernels) {
    if (kernels instanceof OpenBlasKernels) {
      return lapackSvd(w);
    }
    SingularValueDecomposition_F64<DMatrixRMaj> svd =
        DecompositionFactory_DDRM.svd(w.numRows, w.numCols, true, true, true);
    if (!svd.decompose(w.copy())) {
      throw new ArithmeticException("dense SVD failed");
    }
    DMatrixRMaj u = svd.getU(null, false);
    DMatrixRMaj s = svd.getW(null);
    DMatrixRMaj vt = svd.getV(null, true);
    int n = Math.min(s.numRows, s.numCols);
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = s.get(i, i);
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x]));
    return new Svd(u, values, vt, order);
  }

  private static Svd lapackSvd(DMatrixRMaj w) {
    int m = w.numRows;
    int n = w.numCols;
    int q = Math.min(m, n);
    double[] values = new double[q];
    DMatrixRMaj u = new DMatrixRMaj(m, q);
    DMatrixRMaj vt = new DMatrixRMaj(q, n);
    int[] info = new int[1];
    allProcessors(
        () ->
            info[0] =
                openblas.LAPACKE_dgesdd(
                    openblas.LAPACK_ROW_MAJOR,
                    (byte) 'S',
                    m,
                    n,
                    w.data.clone(),
                    n,
                    values,
                    u.data,
                    q,
                    vt.data,
                    n));
    if (info[0] != 0) {
      throw new ArithmeticException("dense SVD (dgesdd) failed: info " + info[0]);
    }
    Integer[] order = new Integer[q];
    for (int i = 0; i < q; i++) {
      order[i] = i;
    }
    return new Svd(u, values, vt, order);
  }

  /** Runs {@code task} with OpenBLAS threaded over every processor: the dense path's best case. */
  private static void allProcessors(Runnable task) {
    int before = OpenBlas.threads();
    OpenBlas.setThreads(Runtime.getRuntime().availableProcessors());
    try {
      task.run();
    } finally {
      OpenBlas.setThreads(before);
    }
  }

  /** A full SVD with its descending order. */
  public record Svd(DMatrixRMaj u, double[] values, DMatrixRMaj vt, Integer[] order) {
    /** The best rank-r approximation W_r. */
    public DMatrixRMaj truncation(int r) {
      DMatrixRMaj out = new DMatrixRMaj(u.numRows, vt.numCols);
      for (int t = 0; t < Math.min(r, order.length); t++) {
        int i = order[t];
        double s = values[i];
        for (int row = 0; row < u.numRows; row++) {
          double us = u.get(row, i) * s;
          if (us == 0) {
            continue;
          }
          for (int col = 0; col < vt.numCols; col++) {
            out.data[row * out.numCols + col] += us * vt.get(i, col);
          }
        }
      }
      return out;
    }

    /** ‖ΔW − W_r‖_F. */
    public double tail(int r) {
      double sum = 0;
      for (int t = r; t < order.length; t++) {
        sum += values[order[t]] * values[order[t]];
      }
      return Math.sqrt(sum);
    }
  }

  /** ‖x − y‖_F. */
  public static double distance(DMatrixRMaj x, DMatrixRMaj y) {
    double s = 0;
    for (int i = 0; i < x.data.length; i++) {
      double d = x.data[i] - y.data[i];
      s += d * d;
    }
    return Math.sqrt(s);
  }

  private static DMatrixRMaj toMatrix(float[] data, int rows, int cols) {
    DMatrixRMaj m = new DMatrixRMaj(rows, cols);
    for (int i = 0; i < data.length; i++) {
      m.data[i] = data[i];
    }
    return m;
  }
}
