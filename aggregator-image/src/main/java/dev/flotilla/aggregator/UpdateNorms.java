package dev.flotilla.aggregator;

import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import java.util.Collection;

/**
 * Frobenius norms of LoRA weight updates computed from the factors alone: for a module {@code ΔW =
 * s·B·A} (s = alpha / r), {@code ‖ΔW‖² = s²·trace((BᵀB)(AAᵀ))}, an r×r computation instead of the
 * d×k product.
 */
public final class UpdateNorms {
  private UpdateNorms() {}

  /** {@code ‖ΔW‖_F} over all modules of {@code adapter}: the square root of the summed squares. */
  public static double updateNorm(LoraAdapter adapter) {
    double sum = 0;
    for (LoraModule module : adapter.modules().values()) {
      double scaling = adapter.scaling(module.name());
      sum += scaling * scaling * squaredNorm(module);
    }
    return Math.sqrt(sum);
  }

  /**
   * {@code ‖B·A‖_F} over all modules of {@code adapter}, without the scaling α/r: the norm the
   * outlier guard compares, because α/r alone makes a rank-2 update 8× larger than a rank-16 one
   * with the same factors.
   */
  public static double factorNorm(LoraAdapter adapter) {
    double sum = 0;
    for (LoraModule module : adapter.modules().values()) {
      sum += squaredNorm(module);
    }
    return Math.sqrt(sum);
  }

  /** {@code ‖B·A‖_F²} of one module. */
  static double squaredNorm(LoraModule module) {
    double[] aat = gramOfRows(module.a());
    double[] btb = gramOfColumns(module.b());
    double trace = 0;
    for (int i = 0; i < aat.length; i++) {
      trace += aat[i] * btb[i];
    }
    return Math.max(0, trace);
  }

  /** {@code A·Aᵀ} for A of shape [r, k], row-major r×r. */
  private static double[] gramOfRows(FloatTensor a) {
    int r = a.dim(0);
    int k = a.dim(1);
    float[] data = a.data();
    double[] gram = new double[r * r];
    for (int i = 0; i < r; i++) {
      for (int j = i; j < r; j++) {
        double dot = 0;
        for (int c = 0; c < k; c++) {
          dot += (double) data[i * k + c] * data[j * k + c];
        }
        gram[i * r + j] = dot;
        gram[j * r + i] = dot;
      }
    }
    return gram;
  }

  /** {@code Bᵀ·B} for B of shape [d, r], row-major r×r. */
  private static double[] gramOfColumns(FloatTensor b) {
    int d = b.dim(0);
    int r = b.dim(1);
    float[] data = b.data();
    double[] gram = new double[r * r];
    for (int row = 0; row < d; row++) {
      int base = row * r;
      for (int i = 0; i < r; i++) {
        double bi = data[base + i];
        for (int j = 0; j < r; j++) {
          gram[i * r + j] += bi * data[base + j];
        }
      }
    }
    return gram;
  }

  /** The median (mean of the two middle values for an even count); NaN when empty. */
  public static double median(Collection<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
