package dev.flotilla.core.aggregation;

import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.adapter.LoraModule;
import java.util.SplittableRandom;

/**
 * Keeps every LoRA component of an output adapter trainable (package-private). A component whose A
 * row and B column are both zero has zero gradient in both factors and could never train again;
 * such a component (rank padding, or a direction the aggregate does not carry) gets a fresh A row,
 * Kaiming-uniform with a = √5 as PEFT initialises it (uniform in ±1/√k), and keeps B = 0, so the
 * product B·A is unchanged. The row is drawn from a generator seeded by the round's seed, the
 * module name and the component index alone, so retries and resumed runs write identical adapters
 * and a component gets the same row at every output rank.
 */
final class FreshComponents {
  private FreshComponents() {}

  /** {@code module} with a fresh A row for every all-zero (A row, B column) pair. */
  static LoraModule revive(LoraModule module, long seed) {
    int r = module.rank();
    int k = module.inFeatures();
    int d = module.outFeatures();
    float[] a = module.a().data();
    float[] b = module.b().data();
    float[] revived = null;
    for (int j = 0; j < r; j++) {
      if (isZeroRow(a, j, k) && isZeroColumn(b, j, d, r)) {
        if (revived == null) {
          revived = a.clone();
        }
        SplittableRandom random = new SplittableRandom(componentSeed(seed, module.name(), j));
        double bound = 1.0 / Math.sqrt(k);
        for (int col = 0; col < k; col++) {
          revived[j * k + col] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
      }
    }
    return revived == null
        ? module
        : new LoraModule(module.name(), new FloatTensor(new int[] {r, k}, revived), module.b());
  }

  /** Whether some (A row, B column) pair of {@code module} is all zero. */
  static boolean hasDeadComponent(LoraModule module) {
    int r = module.rank();
    for (int j = 0; j < r; j++) {
      if (isZeroRow(module.a().data(), j, module.inFeatures())
          && isZeroColumn(module.b().data(), j, module.outFeatures(), r)) {
        return true;
      }
    }
    return false;
  }

  private static long componentSeed(long seed, String name, int component) {
    long h = seed * 0x9E3779B97F4A7C15L + name.hashCode();
    return h * 0xBF58476D1CE4E5B9L + component;
  }

  private static boolean isZeroRow(float[] a, int row, int k) {
    for (int col = 0; col < k; col++) {
      if (a[row * k + col] != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isZeroColumn(float[] b, int col, int d, int r) {
    for (int row = 0; row < d; row++) {
      if (b[row * r + col] != 0) {
        return false;
      }
    }
    return true;
  }
}
