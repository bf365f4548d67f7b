package dev.flotilla.core.aggregation;

import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import dev.flotilla.core.adapter.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Synthetic client adapters for tests and benchmarks. {@link Spectrum#REALISTIC}: every client's
 * update shares a common low-dimensional component U₀ diag(s) V₀ᵀ (decaying s) plus client-specific
 * noise, as trained LoRA updates do; {@link Spectrum#FLAT}: independent random factors (the worst
 * case for truncated methods). Entries are uniform with unit variance.
 */
public final class SyntheticClients {
  /** The kind of spectrum. */
  public enum Spectrum {
    /** Shared low-dimensional component plus client noise: fast-decaying spectrum. */
    REALISTIC,
    /** Independent random factors: flat spectrum. */
    FLAT
  }

  /** Dimension of the shared component in the realistic case. */
  public static final int COMMON_DIM = 16;

  private static final float UNIT = (float) Math.sqrt(3);

  private SyntheticClients() {}

  /** One module per client, ranks[c] for client c. */
  public static List<LoraModule> module(
      String name, int d, int k, int[] ranks, Spectrum spectrum, long seed) {
    SplittableRandom root = new SplittableRandom(seed);
    float[] u0 = uniform(root.split(), d * COMMON_DIM, 1);
    float[] v0 = uniform(root.split(), COMMON_DIM * k, (float) (1 / Math.sqrt(k)));
    long[] seeds = root.longs(ranks.length).toArray();
    return IntStream.range(0, ranks.length)
        .parallel()
        .mapToObj(
            c -> client(name, d, k, ranks[c], spectrum, new SplittableRandom(seeds[c]), u0, v0))
        .toList();
  }

  private static LoraModule client(
      String name,
      int d,
      int k,
      int r,
      Spectrum spectrum,
      SplittableRandom rnd,
      float[] u0,
      float[] v0) {
    float[] a = uniform(rnd, r * k, (float) (1 / Math.sqrt(k)));
    float[] b = uniform(rnd, d * r, 0.02f);
    if (spectrum == Spectrum.REALISTIC) {
      // A += G V₀ᵀ-rows, B += U₀ diag(s) Gᵀ / r with G (r × COMMON_DIM) random
      float[] g = uniform(rnd, r * COMMON_DIM, 1);
      for (int i = 0; i < r; i++) {
        for (int j = 0; j < COMMON_DIM; j++) {
          float gij = g[i * COMMON_DIM + j];
          for (int col = 0; col < k; col++) {
            a[i * k + col] += gij * v0[j * k + col];
          }
        }
      }
      for (int row = 0; row < d; row++) {
        for (int j = 0; j < COMMON_DIM; j++) {
          float s = (float) (1.0 / (1 + j)) * u0[row * COMMON_DIM + j] / r;
          for (int i = 0; i < r; i++) {
            b[row * r + i] += s * g[i * COMMON_DIM + j];
          }
        }
      }
    }
    return new LoraModule(
        name, new FloatTensor(new int[] {r, k}, a), new FloatTensor(new int[] {d, r}, b));
  }

  /** An adapter holding {@code modules} and optional extra tensors. */
  public static LoraAdapter adapter(
      Map<String, LoraModule> modules, double alpha, Map<String, FloatTensor> extras) {
    return new LoraAdapter(
        "test/base",
        TaskType.SEQ_CLS,
        alpha,
        0.0,
        List.of("query", "value"),
        new TreeMap<>(modules),
        List.of(),
        extras);
  }

  /**
   * Client ranks: {@code share} of {@code count} clients at {@code choices[0]}, the rest cycled.
   */
  public static int[] ranks(int count, int[] choices, double share) {
    int small = (int) Math.round(count * share);
    int[] out = new int[count];
    List<Integer> rest = new ArrayList<>();
    for (int i = 1; i < choices.length; i++) {
      rest.add(choices[i]);
    }
    for (int c = 0; c < count; c++) {
      out[c] = c < small || rest.isEmpty() ? choices[0] : rest.get((c - small) % rest.size());
    }
    return out;
  }

  static float[] uniform(SplittableRandom rnd, int n, float scale) {
    float[] out = new float[n];
    float s = UNIT * scale;
    for (int i = 0; i < n; i++) {
      out[i] = (float) (rnd.nextDouble() * 2 - 1) * s;
    }
    return out;
  }
}
