package dev.flotilla.core.aggregation;

import dev.flotilla.core.adapter.LoraModule;
import java.util.List;

/**
 * The weighted sum of client updates of one module, ΔW = Σ s_c B_c A_c = B_cat · A_cat, kept
 * factored: {@link #up} = B_cat (d × R, columns scaled by s_c = p_c·α_c/r_c), {@link #downT} =
 * A_catᵀ (k × R), their Gram matrices G_A = A_cat A_catᵀ and G_B = B_catᵀ B_cat (R × R, double),
 * and the exact energy ‖ΔW‖_F² = Σ_ij (G_A)_ij (G_B)_ij (package-private). With the OpenBLAS
 * kernels all four are pinned in native memory until {@link #close}.
 */
final class FactoredUpdate implements AutoCloseable {
  private final Matrix up;
  private final Matrix downT;
  private final Matrix gramDown;
  private final Matrix gramUp;
  private final double energy;
  private final Pinned factors;
  private final Pinned grams;

  private FactoredUpdate(Matrix up, Matrix downT, DenseKernels kernels) {
    this.up = up;
    this.downT = downT;
    this.factors = kernels.pin(up, downT);
    this.gramDown = kernels.gram(downT);
    this.gramUp = kernels.gram(up);
    double[] ga = gramDown.data();
    double[] gb = gramUp.data();
    double e = 0;
    for (int i = 0; i < ga.length; i++) {
      e += ga[i] * gb[i];
    }
    this.energy = Math.max(0, e);
    this.grams = kernels.pin(gramDown, gramUp);
  }

  /** Frees the native copies of the factors and Gram matrices (OpenBLAS kernels). */
  @Override
  public void close() {
    grams.close();
    factors.close();
  }

  /** Module {@code name} of a round: client c's B scaled by s_c = p_c·α_c/r_c. */
  static FactoredUpdate of(RoundInputs in, String name, DenseKernels kernels) {
    List<LoraModule> modules = in.modules(name);
    double[] scales = new double[modules.size()];
    for (int c = 0; c < scales.length; c++) {
      scales[c] = in.weight(c) * in.alpha(c) / modules.get(c).rank();
    }
    return of(modules, scales, kernels);
  }

  /** Concatenates the clients' factors; {@code scales[c]} multiplies client c's B. */
  static FactoredUpdate of(List<LoraModule> modules, double[] scales, DenseKernels kernels) {
    int k = modules.get(0).inFeatures();
    int total = modules.stream().mapToInt(LoraModule::rank).sum();
    Matrix downT = new Matrix(k, total);
    double[] out = downT.data();
    int offset = 0;
    for (LoraModule m : modules) {
      int r = m.rank();
      float[] a = m.a().data();
      // row by row of A_catᵀ: sequential writes, r sequential read streams
      for (int col = 0; col < k; col++) {
        int dst = col * total + offset;
        for (int j = 0; j < r; j++) {
          out[dst + j] = a[j * k + col];
        }
      }
      offset += r;
    }
    return new FactoredUpdate(concatenatedUp(modules, scales), downT, kernels);
  }

  /** B_cat = [s_1 B_1, …] (d × R). */
  static Matrix concatenatedUp(List<LoraModule> modules, double[] scales) {
    int d = modules.get(0).outFeatures();
    int total = modules.stream().mapToInt(LoraModule::rank).sum();
    Matrix up = new Matrix(d, total);
    double[] out = up.data();
    int offset = 0;
    for (int c = 0; c < modules.size(); c++) {
      LoraModule m = modules.get(c);
      int r = m.rank();
      float[] b = m.b().data();
      double s = scales[c];
      for (int row = 0; row < d; row++) {
        int src = row * r;
        int dst = row * total + offset;
        for (int j = 0; j < r; j++) {
          out[dst + j] = s * b[src + j];
        }
      }
      offset += r;
    }
    return up;
  }

  /** A_cat = [A_1; …] (R × k). */
  static Matrix concatenatedDown(List<LoraModule> modules) {
    int k = modules.get(0).inFeatures();
    int total = modules.stream().mapToInt(LoraModule::rank).sum();
    Matrix down = new Matrix(total, k);
    double[] out = down.data();
    int offset = 0;
    for (LoraModule m : modules) {
      float[] a = m.a().data();
      for (int i = 0; i < a.length; i++) {
        out[offset + i] = a[i];
      }
      offset += a.length;
    }
    return down;
  }

  /** B_cat (d × R). */
  Matrix up() {
    return up;
  }

  /** A_catᵀ (k × R). */
  Matrix downT() {
    return downT;
  }

  /** G_A = A_cat A_catᵀ (R × R). */
  Matrix gramDown() {
    return gramDown;
  }

  /** G_B = B_catᵀ B_cat (R × R). */
  Matrix gramUp() {
    return gramUp;
  }

  /** ‖ΔW‖_F², exactly. */
  double energy() {
    return energy;
  }

  /** R = Σ r_c, the inner dimension of the factorisation. */
  int innerRank() {
    return gramDown.rows();
  }
}
