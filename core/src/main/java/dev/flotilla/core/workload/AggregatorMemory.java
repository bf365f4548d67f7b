package dev.flotilla.core.workload;

import dev.flotilla.core.protocol.Action;
import dev.flotilla.core.spec.FederationSpec;

/**
 * The aggregator's memory, which grows with the adapters it holds: {@code base + perRankModule ×
 * targetModules × (Σ client ranks + globalRank)}, at most {@code max}, rounded up to a MiB. One
 * formula for the cluster (the Job's request and limit, from the chart's sizing values) and the
 * local container runtime (podman's {@code --memory}, with the defaults), so a round that fits one
 * fits the other.
 *
 * @param baseBytes memory of an aggregator before any adapter (JVM, model metadata, buffers)
 * @param perRankModuleBytes memory per rank per target module, over all layers
 * @param maxBytes the largest memory the formula may ask for
 */
public record AggregatorMemory(long baseBytes, long perRankModuleBytes, long maxBytes) {

  private static final long MIB = 1L << 20;

  /** The defaults: 768 MiB, 2 MiB per rank and module (a 7B decoder's 1 MiB, twice), 32 GiB. */
  public static final AggregatorMemory DEFAULTS =
      new AggregatorMemory(768 * MIB, 2 * MIB, 32L * 1024 * MIB);

  /** The memory in bytes of the aggregator of {@code action} in a federation of {@code spec}. */
  public long bytes(FederationSpec spec, Action.CreateAggregator action) {
    long ranks = action.clientRanks().stream().mapToLong(Integer::longValue).sum();
    if (spec.getAggregation() != null && spec.getAggregation().getGlobalRank() != null) {
      ranks += spec.getAggregation().getGlobalRank();
    }
    int modules =
        spec.getLora() == null || spec.getLora().getTargetModules() == null
            ? 1
            : Math.max(1, spec.getLora().getTargetModules().size());
    long adapters;
    try {
      adapters = Math.multiplyExact(Math.multiplyExact(perRankModuleBytes, modules), ranks);
    } catch (ArithmeticException e) {
      adapters = maxBytes;
    }
    long sum = baseBytes + adapters;
    long total = Math.min(maxBytes, sum < 0 ? Long.MAX_VALUE : sum);
    return (total + MIB - 1) / MIB * MIB;
  }
}
