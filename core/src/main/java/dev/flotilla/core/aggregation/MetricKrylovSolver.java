package dev.flotilla.core.aggregation;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Top singular pairs of ΔW = B_cat A_cat without forming ΔW (package-private).
 *
 * <p>Right singular vectors lie in the row space of A_cat, so they are written x = A_catᵀ y with y
 * ∈ ℝ^R; there ΔWᵀΔW acts as y ↦ G_B G_A y and inner products are yᵀ G_A y. Every step is an R × R
 * by R × b product. The exact path orthonormalises all of ℝ^R (an eigen-decomposition of G_A) and
 * diagonalises the R × R compression. The truncated path grows a block Krylov space from a Gaussian
 * block, runs Rayleigh–Ritz after each block and stops as soon as {@link OptimalityCertificate}
 * proves the (1 + 1e-3) Frobenius bound for every target rank; if the space would exceed {@link
 * #EXACT_FRACTION} of R it switches to the exact path.
 */
final class MetricKrylovSolver {
  static final double TARGET_RATIO = 1 + 1e-3;
  static final int OVERSAMPLE = 16;
  static final double EXACT_FRACTION = 0.75;
  static final int MIN_BLOCKS = 3;

  /** Ritz values θ_{t−1} &gt; SPLIT_GAP·θ_t are candidate splits for the two-level certificate. */
  static final double SPLIT_GAP = 2;

  /** Deflation sizes s tried per Rayleigh–Ritz step when choosing the certificate. */
  static final int PROXY_POINTS = 48;

  /** Largest split t of the two-level certificate (its residual is computed explicitly). */
  static final int MAX_SPLIT = 64;

  private final FactoredUpdate update;
  private final DenseKernels kernels;
  private final int[] targets;
  private final int want;
  private final long seed;

  private MetricKrylovSolver(
      FactoredUpdate update, int[] targets, long seed, DenseKernels kernels) {
    this.update = update;
    this.kernels = kernels;
    this.want = Math.min(targets[targets.length - 1], update.innerRank());
    this.targets = targets;
    this.seed = seed;
  }

  /**
   * Solves for the top {@code max(targetRanks)} pairs on {@code kernels}, by the path {@link
   * #plannedPath} picks for them.
   *
   * @param targetRanks the ranks that must be near-optimal, ascending, non-empty
   */
  static TopSpectrum solve(
      FactoredUpdate update, int[] targetRanks, long seed, DenseKernels kernels) {
    MetricKrylovSolver solver = new MetricKrylovSolver(update, targetRanks, seed, kernels);
    int r = update.innerRank();
    if (update.energy() == 0 || r == 0) {
      return new TopSpectrum(new Matrix(r, 0), new double[0], SolverPath.EXACT, 0, 0, 1.0);
    }
    int block = Math.min(r, solver.want + OVERSAMPLE);
    return plannedPath(r, solver.want, kernels) == SolverPath.EXACT
        ? solver.exact()
        : solver.truncated(block);
  }

  /**
   * The cost model, from measured times: the exact path costs O(R³) (Cholesky, two triangular
   * products, a partial eigen-decomposition), the truncated one O(R²·b) per Krylov block of b
   * columns plus its certificate. The truncated path runs when {@link #MIN_BLOCKS} blocks fit below
   * {@link #EXACT_FRACTION} of R (else it would fall back to the exact one anyway) and R holds the
   * {@link DenseKernels#truncatedPathMinBlocks} blocks from which it beats the exact path on {@code
   * kernels}: the exact path's eigensolver is ~10× faster with LAPACK than with EJML.
   */
  static SolverPath plannedPath(int innerRank, int maxTargetRank, DenseKernels kernels) {
    int block = Math.min(innerRank, Math.min(maxTargetRank, innerRank) + OVERSAMPLE);
    boolean fits = MIN_BLOCKS * block <= EXACT_FRACTION * innerRank;
    boolean pays = innerRank >= kernels.truncatedPathMinBlocks() * block;
    return fits && pays ? SolverPath.TRUNCATED : SolverPath.EXACT;
  }

  /** The pair (W, G_A·W) the basis orthonormalises in the G_A inner product. */
  private BlockBasis.Block withMetric(Matrix w) {
    return new BlockBasis.Block(w, kernels.multiply(update.gramDown(), w));
  }

  private TopSpectrum exact() {
    int r = update.innerRank();
    Matrix lower = CholeskyWhitening.lowerFactor(update.gramDown(), kernels);
    if (lower != null) {
      // G_A = L Lᵀ, Y = L⁻ᵀ Z: the compression of ΔWᵀΔW is Lᵀ G_B L
      Matrix h = kernels.congruence(lower, update.gramUp());
      BlockBasis.symmetrize(h);
      int t = Math.min(want, r);
      SymmetricEigen eig = kernels.topEigen(h, t);
      Matrix y = kernels.solveUpper(lower, eig.vectors().leadingColumns(t));
      return new TopSpectrum(y, head(eig.values(), t), SolverPath.EXACT, 0, r, 1.0);
    }
    Matrix identity = new Matrix(r, r);
    for (int i = 0; i < r; i++) {
      identity.set(i, i, 1);
    }
    BlockBasis.Block q;
    try (BlockBasis basis = new BlockBasis(r, kernels)) {
      q = basis.orthonormalizeOnce(new BlockBasis.Block(identity, update.gramDown()));
    }
    Matrix h = kernels.transposeMultiply(q.mw(), kernels.multiply(update.gramUp(), q.mw()));
    BlockBasis.symmetrize(h);
    int t = Math.min(want, h.rows());
    SymmetricEigen eig = kernels.topEigen(h, t);
    Matrix y = kernels.multiply(q.w(), eig.vectors().leadingColumns(t));
    return new TopSpectrum(y, head(eig.values(), t), SolverPath.EXACT, 0, q.size(), 1.0);
  }

  private TopSpectrum truncated(int blockSize) {
    int r = update.innerRank();
    Random random = new Random(seed);
    Matrix start = new Matrix(r, blockSize);
    double[] s = start.data();
    for (int i = 0; i < s.length; i++) {
      s[i] = random.nextGaussian();
    }
    try (BlockBasis basis = new BlockBasis(r, kernels)) {
      return truncated(basis, start);
    }
  }

  private TopSpectrum truncated(BlockBasis basis, Matrix start) {
    int r = update.innerRank();
    BlockBasis.Block block = basis.orthonormalize(withMetric(start));
    Matrix images = new Matrix(r, 0);
    Matrix h = new Matrix(0, 0);
    int blocks = 0;
    while (true) {
      basis.append(block);
      blocks++;
      Matrix image = kernels.multiply(update.gramUp(), block.mw());
      images = images.appendColumns(image);
      h = grow(h, kernels.transposeMultiply(basis.metricBasis(), image));
      BlockBasis.Block next = basis.orthonormalize(withMetric(image));
      SymmetricEigen eig = kernels.eigen(h);
      int m = basis.size();
      Matrix residual =
          kernels.multiply(kernels.transposeMultiply(next.mw(), images), eig.vectors());
      double ratio = certify(eig, residual, next.dropped(), basis.basis());
      if (ratio <= TARGET_RATIO) {
        int t = Math.min(want, m);
        Matrix y = kernels.multiply(basis.basis(), eig.vectors().leadingColumns(t));
        return new TopSpectrum(y, head(eig.values(), t), SolverPath.TRUNCATED, blocks, m, ratio);
      }
      if (next.size() == 0 || m + next.size() > EXACT_FRACTION * r) {
        return exact();
      }
      block = next;
    }
  }

  /**
   * Chooses the split t and deflation size s by a cheap proxy (ν ≈ θ_{s+1}/(1 − δ), ρ by power
   * iteration), then certifies with the spectral ρ and a Lanczos upper bound ν. The residual of the
   * Ritz vectors is C·X − X·Θ = Q_next·(residual) plus the part dropped from Q_next, of norm at
   * most {@code dropped}.
   */
  private double certify(SymmetricEigen eig, Matrix residual, double dropped, Matrix q) {
    double[] theta = eig.values();
    int m = theta.length;
    double[] cumulative = new double[m + 1];
    double[] res = residual.data();
    for (int c = 0; c < m; c++) {
      double s = 0;
      for (int row = 0; row < residual.rows(); row++) {
        double v = res[row * m + c];
        s += v * v;
      }
      cumulative[c + 1] = cumulative[c] + s;
    }
    List<Integer> splits = new ArrayList<>();
    splits.add(0);
    for (int t = 1; t < Math.min(want, MAX_SPLIT); t++) {
      if (theta[t - 1] > SPLIT_GAP * Math.max(0, theta[t])) {
        splits.add(t);
      }
    }
    double[] topResidual = explicitTopResiduals(eig, q, splits);
    int bestS = -1;
    int bestT = 0;
    double bestRatio = Double.POSITIVE_INFINITY;
    int stride = Math.max(1, (m - want) / PROXY_POINTS);
    ResidualColumnNorms norms =
        new ResidualColumnNorms(
            residual, splits.stream().mapToInt(Integer::intValue).toArray(), Math.min(want, m));
    for (int s = want; s < m; s += stride) {
      norms.accumulateTo(s);
      double nu = Math.max(0, theta[s]) / (1 - DeflatedLanczos.DELTA);
      for (int i = 0; i < norms.splitCount(); i++) {
        int t = norms.split(i);
        if (worstRatio(theta, nu, t, topResidual[t], dropped) >= bestRatio) {
          continue; // even a zero residual beyond t would not beat the best pair
        }
        double frobenius = Math.sqrt(cumulative[s] - cumulative[t]);
        double ratio = worstRatio(theta, nu, t, topResidual[t], frobenius + dropped);
        if (ratio > TARGET_RATIO) {
          ratio = worstRatio(theta, nu, t, topResidual[t], norms.estimate(i) + dropped);
        }
        if (ratio < bestRatio) {
          bestRatio = ratio;
          bestS = s;
          bestT = t;
        }
      }
    }
    if (bestS < 0 || bestRatio > TARGET_RATIO) {
      return bestRatio;
    }
    double rhoTop = topResidual[bestT];
    double rhoRest = dropped + spectralNorm(residual.columns(bestT, bestS));
    Matrix ys = kernels.multiply(q, eig.vectors().leadingColumns(bestS));
    double nu = DeflatedLanczos.upperBound(update, ys, seed ^ 0x9E3779B97F4A7C15L, kernels);
    return worstRatio(theta, nu, bestT, rhoTop, rhoRest);
  }

  /**
   * Spectral M-norms of the explicit residual C·X_t − X_t·Θ_t of the top t Ritz vectors for every
   * split t: the large, converged eigenvalues make the Krylov-relation residual rounding-bound.
   */
  private double[] explicitTopResiduals(SymmetricEigen eig, Matrix q, List<Integer> splits) {
    int tMax = splits.get(splits.size() - 1);
    double[] out = new double[tMax + 1];
    if (tMax == 0) {
      return out;
    }
    Matrix y = kernels.multiply(q, eig.vectors().leadingColumns(tMax));
    Matrix residual = kernels.multiply(update.gramUp(), kernels.multiply(update.gramDown(), y));
    double[] res = residual.data();
    double[] yd = y.data();
    double[] values = eig.values();
    for (int r = 0; r < y.rows(); r++) {
      for (int c = 0; c < tMax; c++) {
        res[r * tMax + c] -= values[c] * yd[r * tMax + c];
      }
    }
    Matrix g = kernels.transposeMultiply(residual, kernels.multiply(update.gramDown(), residual));
    BlockBasis.symmetrize(g);
    for (int t : splits) {
      if (t > 0) {
        Matrix gt = new Matrix(t, t);
        for (int i = 0; i < t; i++) {
          System.arraycopy(g.data(), i * tMax, gt.data(), i * t, t);
        }
        out[t] = Math.sqrt(Math.max(0, kernels.eigen(gt).values()[0]));
      }
    }
    return out;
  }

  private double spectralNorm(Matrix m) {
    if (m.rows() == 0 || m.cols() == 0) {
      return 0;
    }
    Matrix g = m.rows() <= m.cols() ? kernels.multiply(m, m.transpose()) : kernels.gram(m);
    BlockBasis.symmetrize(g);
    return Math.sqrt(Math.max(0, kernels.eigen(g).values()[0]));
  }

  private double worstRatio(double[] theta, double nu, int t, double rhoTop, double rhoRest) {
    double worst = 1.0;
    for (int target : targets) {
      worst =
          Math.max(
              worst,
              OptimalityCertificate.ratioBound(
                  update.energy(), theta, Math.min(target, want), nu, t, rhoTop, rhoRest));
    }
    return worst;
  }

  /** Extends the symmetric H by the new columns {@code cols} (rows = new size). */
  private static Matrix grow(Matrix h, Matrix cols) {
    int n = cols.rows();
    int old = h.rows();
    int added = cols.cols();
    Matrix out = new Matrix(n, n);
    double[] o = out.data();
    double[] c = cols.data();
    for (int i = 0; i < old; i++) {
      System.arraycopy(h.data(), i * old, o, i * n, old);
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < added; j++) {
        double v = c[i * added + j];
        o[i * n + old + j] = v;
        o[(old + j) * n + i] = v;
      }
    }
    BlockBasis.symmetrize(out);
    return out;
  }

  private static double[] head(double[] values, int n) {
    double[] out = new double[n];
    System.arraycopy(values, 0, out, 0, Math.min(n, values.length));
    return out;
  }
}
