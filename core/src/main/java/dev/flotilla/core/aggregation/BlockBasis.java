package dev.flotilla.core.aggregation;

/**
 * A growing basis Q, orthonormal in the inner product ⟨x, y⟩ = xᵀ M y, stored with MQ (package
 * -private). New blocks are orthogonalised by two passes of block Gram–Schmidt followed by an
 * eigen-based Cholesky-QR (SVQB), dropping numerically dependent directions. The basis is pinned
 * for the kernels' products ({@link DenseKernels#pin}) until {@link #close}.
 */
final class BlockBasis implements AutoCloseable {
  /** Relative squared M-norm below which a direction counts as numerically dependent. */
  private static final double DROP = 1e-20;

  private final DenseKernels kernels;
  private Matrix q;
  private Matrix mq;
  private Pinned pinned = Pinned.NOTHING;

  /** An empty basis of vectors of length {@code dimension}; blocks arrive with their M-images. */
  BlockBasis(int dimension, DenseKernels kernels) {
    this.kernels = kernels;
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
    return q.cols();
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
      return w.cols();
    }
  }

  /**
   * Orthonormalises {@code block} against the basis and itself (the basis is unchanged): two passes
   * of projection, then per pass columns whose M-norm fell below {@link #DROP} of their norm before
   * projection are discarded, the rest scaled to unit norm and passed through SVQB, which also
   * discards directions with Gram eigenvalue below {@link #DROP}.
   */
  Block orthonormalize(Block block) {
    Block current = block;
    double dropped = 0;
    for (int pass = 0; pass < 2 && current.size() > 0; pass++) {
      double[] before = columnNorms(current);
      Block projected = projectOut(current);
      double[] after = columnNorms(projected);
      int[] keep = new int[after.length];
      int kept = 0;
      double lost = 0;
      double scaleMax = 0;
      for (int c = 0; c < after.length; c++) {
        if (after[c] > DROP * before[c] && after[c] > 0) {
          keep[kept++] = c;
          scaleMax = Math.max(scaleMax, after[c]);
        } else {
          lost += Math.max(0, after[c]);
        }
      }
      double[] inv = new double[kept];
      for (int i = 0; i < kept; i++) {
        inv[i] = 1 / Math.sqrt(after[keep[i]]);
      }
      Block scaled = select(projected, keep, kept, inv);
      current = svqb(scaled, DROP * kept);
      dropped += Math.sqrt(lost) + current.dropped() * Math.sqrt(scaleMax);
    }
    return new Block(current.w(), current.mw(), dropped);
  }

  private double[] columnNorms(Block b) {
    double[] out = new double[b.size()];
    for (int c = 0; c < out.length; c++) {
      out[c] = columnDot(b.w(), b.mw(), c);
    }
    return out;
  }

  private Block select(Block b, int[] keep, int kept, double[] scale) {
    int rows = b.w().rows();
    Matrix w = new Matrix(rows, kept);
    Matrix mw = new Matrix(rows, kept);
    double[] wIn = b.w().data();
    double[] mwIn = b.mw().data();
    double[] wOut = w.data();
    double[] mwOut = mw.data();
    int wCols = b.w().cols();
    int mwCols = b.mw().cols();
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < kept; i++) {
        wOut[r * kept + i] = wIn[r * wCols + keep[i]] * scale[i];
        mwOut[r * kept + i] = mwIn[r * mwCols + keep[i]] * scale[i];
      }
    }
    return new Block(w, mw);
  }

  /** One SVQB pass without projection: enough when the basis is empty and M is well scaled. */
  Block orthonormalizeOnce(Block block) {
    return svqb(block, 0);
  }

  /**
   * Appends an orthonormalised block. The grown basis replaces the pinned one: every later
   * projection reads it, so it is copied to native memory once per block, not once per product.
   */
  void append(Block block) {
    pinned.close();
    q = q.appendColumns(block.w());
    mq = mq.appendColumns(block.mw());
    pinned = kernels.pin(q, mq);
  }

  /** Frees the native copies of the basis. */
  @Override
  public void close() {
    pinned.close();
  }

  private Block projectOut(Block block) {
    if (q.cols() == 0) {
      return block;
    }
    Matrix coef = kernels.transposeMultiply(mq, block.w()).scaled(-1);
    Matrix w = block.w().scaled(1);
    w.addScaled(kernels.multiply(q, coef), 1);
    Matrix mw = block.mw().scaled(1);
    mw.addScaled(kernels.multiply(mq, coef), 1);
    return new Block(w, mw);
  }

  private Block svqb(Block block, double dropBelow) {
    Matrix g = kernels.transposeMultiply(block.w(), block.mw());
    symmetrize(g);
    SymmetricEigen eig = kernels.eigen(g);
    double[] values = eig.values();
    double max = values.length == 0 ? 0 : values[0];
    double floor = Math.max(dropBelow, 1e-14 * max);
    int keep = 0;
    while (keep < values.length && values[keep] > floor && values[keep] > 0) {
      keep++;
    }
    double dropped = keep < values.length ? Math.sqrt(Math.max(0, values[keep])) : 0;
    Matrix t = eig.vectors().leadingColumns(keep);
    double[] inv = new double[keep];
    for (int i = 0; i < keep; i++) {
      inv[i] = 1 / Math.sqrt(values[i]);
    }
    t.scaleColumns(inv);
    Matrix w = kernels.multiply(block.w(), t);
    return new Block(w, kernels.multiply(block.mw(), t), dropped);
  }

  static void symmetrize(Matrix g) {
    int n = g.rows();
    double[] d = g.data();
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double v = (d[i * n + j] + d[j * n + i]) / 2;
        d[i * n + j] = v;
        d[j * n + i] = v;
      }
    }
  }

  private static double columnDot(Matrix w, Matrix mw, int c) {
    double[] wd = w.data();
    double[] mwd = mw.data();
    int wCols = w.cols();
    int mwCols = mw.cols();
    double s = 0;
    for (int r = 0; r < w.rows(); r++) {
      s += wd[r * wCols + c] * mwd[r * mwCols + c];
    }
    return s;
  }
}
