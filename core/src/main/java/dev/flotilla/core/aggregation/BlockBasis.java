package dev.flotilla.core.aggregation;

/**
 * A growing basis Q, orthonormal in the inner product ⟨x, y⟩ = xᵀ M y, stored with MQ (package
 * -private). New blocks are orthogonalised by two passes of block Gram–Schmidt followed by an
 * eigen-based Cholesky-QR (SVQB), dropping numerically dependent directions.
 */
final class BlockBasis {
  /** Relative squared M-norm below which a direction counts as numerically dependent. */
  private static final double DROP = 1e-20;

  private Matrix q;
  private Matrix mq;

  /** An empty basis of vectors of length {@code dimension}; blocks arrive with their M-images. */
  BlockBasis(int dimension) {
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
      out[c] = columnDot(b.w, b.mw, c);
    }
    return out;
  }

  private Block select(Block b, int[] keep, int kept, double[] scale) {
    Matrix w = new Matrix(b.w.rows, kept);
    Matrix mw = new Matrix(b.w.rows, kept);
    for (int r = 0; r < b.w.rows; r++) {
      for (int i = 0; i < kept; i++) {
        w.data[r * kept + i] = b.w.data[r * b.w.cols + keep[i]] * scale[i];
        mw.data[r * kept + i] = b.mw.data[r * b.mw.cols + keep[i]] * scale[i];
      }
    }
    return new Block(w, mw);
  }

  /** One SVQB pass without projection: enough when the basis is empty and M is well scaled. */
  Block orthonormalizeOnce(Block block) {
    return svqb(block, 0);
  }

  /**
   * Appends an orthonormalised block. The basis is pinned ({@link Matrix#pin}): every later
   * projection reads it, so it is copied to native memory once per block, not once per product.
   */
  void append(Block block) {
    release();
    q = q.appendColumns(block.w);
    mq = mq.appendColumns(block.mw);
    q.pin();
    mq.pin();
  }

  /** Frees the native copies of the basis. */
  void release() {
    q.unpin();
    mq.unpin();
  }

  private Block projectOut(Block block) {
    if (q.cols == 0) {
      return block;
    }
    Matrix coef = Gemm.transposeMultiply(mq, block.w).scaled(-1);
    Matrix w = block.w.scaled(1);
    w.addScaled(Gemm.multiply(q, coef), 1);
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
    return new Block(w, Gemm.multiply(block.mw, t), dropped);
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
