package dev.flotilla.core.aggregation;

import java.util.function.UnaryOperator;

/**
 * A growing basis Q, orthonormal in the inner product ⟨x, y⟩ = xᵀ M y, stored with MQ (package
 * -private). New blocks are orthogonalised by two passes of block Gram–Schmidt followed by an
 * eigen-based Cholesky-QR (SVQB), dropping numerically dependent directions.
 */
final class BlockBasis {
  /** Directions whose squared M-norm falls below this fraction of their original are dropped. */
  private static final double DROP = 1e-10;

  private final UnaryOperator<Matrix> metric;
  private Matrix q;
  private Matrix mq;

  /**
   * @param metric applies M to a block; {@code null} for the Euclidean inner product
   */
  BlockBasis(int dimension, UnaryOperator<Matrix> metric) {
    this.metric = metric;
    this.q = new Matrix(dimension, 0);
    this.mq = q;
  }

  Matrix basis() {
    return q;
  }

  Matrix metricBasis() {
    return mq;
  }

  int size() {
    return q.cols;
  }

  /**
   * A pair (W, MW); {@code dropped} bounds the M-norm of the part discarded while orthonormalising
   * (the square root of the largest dropped Gram eigenvalue), 0 when nothing was dropped.
   */
  record Block(Matrix w, Matrix mw, double dropped) {
    Block(Matrix w, Matrix mw) {
      this(w, mw, 0);
    }

    int size() {
      return w.cols;
    }
  }

  /** Applies the metric to {@code w}. */
  Block withMetric(Matrix w) {
    return new Block(w, metric == null ? w : metric.apply(w));
  }

  /** Orthonormalises {@code block} against the basis and itself (the basis is unchanged). */
  Block orthonormalize(Block block) {
    double reference = 0;
    for (int c = 0; c < block.size(); c++) {
      reference = Math.max(reference, columnDot(block.w, block.mw, c));
    }
    Block current = block;
    double dropped = 0;
    for (int pass = 0; pass < 2; pass++) {
      current = svqb(projectOut(current), pass == 0 ? DROP * reference : 0);
      dropped += current.dropped();
      if (current.size() == 0) {
        break;
      }
    }
    return new Block(current.w(), current.mw(), dropped);
  }

  /** One SVQB pass without projection: enough when the basis is empty and M is well scaled. */
  Block orthonormalizeOnce(Block block) {
    return svqb(block, 0);
  }

  /** Appends an orthonormalised block. */
  void append(Block block) {
    q = q.appendColumns(block.w);
    mq = metric == null ? q : mq.appendColumns(block.mw);
  }

  private Block projectOut(Block block) {
    if (q.cols == 0) {
      return block;
    }
    Matrix coef = Gemm.transposeMultiply(mq, block.w).scaled(-1);
    Matrix w = block.w.scaled(1);
    w.addScaled(Gemm.multiply(q, coef), 1);
    if (metric == null) {
      return new Block(w, w);
    }
    Matrix mw = block.mw.scaled(1);
    mw.addScaled(Gemm.multiply(mq, coef), 1);
    return new Block(w, mw);
  }

  private Block svqb(Block block, double dropBelow) {
    Matrix g = Gemm.transposeMultiply(block.w, block.mw);
    symmetrize(g);
    SymmetricEigen eig = SymmetricEigen.of(g);
    double max = eig.values.length == 0 ? 0 : eig.values[0];
    double floor = Math.max(dropBelow, 1e-14 * max);
    int keep = 0;
    while (keep < eig.values.length && eig.values[keep] > floor && eig.values[keep] > 0) {
      keep++;
    }
    double dropped = keep < eig.values.length ? Math.sqrt(Math.max(0, eig.values[keep])) : 0;
    Matrix t = eig.vectors.leadingColumns(keep);
    double[] inv = new double[keep];
    for (int i = 0; i < keep; i++) {
      inv[i] = 1 / Math.sqrt(eig.values[i]);
    }
    t.scaleColumns(inv);
    Matrix w = Gemm.multiply(block.w, t);
    return new Block(w, metric == null ? w : Gemm.multiply(block.mw, t), dropped);
  }

  static void symmetrize(Matrix g) {
    int n = g.rows;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double v = (g.data[i * n + j] + g.data[j * n + i]) / 2;
        g.data[i * n + j] = v;
        g.data[j * n + i] = v;
      }
    }
  }

  private static double columnDot(Matrix w, Matrix mw, int c) {
    double s = 0;
    for (int r = 0; r < w.rows; r++) {
      s += w.data[r * w.cols + c] * mw.data[r * mw.cols + c];
    }
    return s;
  }
}
