package dev.flotilla.core.protocol;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic per-round client sampling: a partial Fisher-Yates shuffle, seeded by (seed, round),
 * of the clients sorted by id. The same inputs always give the same sample, so the sample never
 * needs to be stored in the Federation status. Cost: O(N) to set up, O(k) swaps.
 */
public final class ClientSampler {

  private ClientSampler() {}

  /**
   * How many of {@code total} clients a round samples: {@code clientsPerRound}, or {@code
   * ceil(fraction * total)} (computed in decimal, so 0.3 of 10 is 3), raised to {@code minClients},
   * capped at {@code total}.
   */
  public static int sampleSize(
      int total, Integer clientsPerRound, Double fraction, int minClients) {
    int size;
    if (clientsPerRound != null) {
      size = clientsPerRound;
    } else if (fraction != null) {
      size =
          BigDecimal.valueOf(fraction)
              .multiply(BigDecimal.valueOf(total))
              .setScale(0, RoundingMode.CEILING)
              .intValueExact();
    } else {
      throw new IllegalArgumentException("sampling needs clientsPerRound or fraction");
    }
    return Math.min(total, Math.max(size, minClients));
  }

  /**
   * Samples {@code count} of {@code clients} for {@code round}.
   *
   * @param clients the candidates, sorted by id (callers pass {@link ClientDirectory} output)
   * @return the sampled clients, sorted by id
   */
  public static List<ClientRef> sample(List<ClientRef> clients, long seed, int round, int count) {
    int n = clients.size();
    if (count < 0 || count > n) {
      throw new IllegalArgumentException("cannot sample " + count + " of " + n + " clients");
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(mix(seed, round));
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(n - i);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    int[] chosen = Arrays.copyOf(order, count);
    Arrays.sort(chosen);
    List<ClientRef> sample = new ArrayList<>(count);
    for (int index : chosen) {
      sample.add(clients.get(index));
    }
    return sample;
  }

  /**
   * A well-spread 64-bit seed from (seed, round): the SplitMix64 finaliser of their combination.
   */
  static long mix(long seed, int round) {
    long z = seed * 0x9E3779B97F4A7C15L + round * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
