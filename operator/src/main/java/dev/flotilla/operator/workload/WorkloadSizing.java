package dev.flotilla.operator.workload;

import dev.flotilla.core.protocol.Action.CreateAggregator;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.workload.AggregatorMemory;
import dev.flotilla.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.Map;

/**
 * Resources of the aggregator and the scratch-volume limit of every workload. The aggregator holds
 * every accepted client's adapter and the global one, so its memory grows with their ranks:
 *
 * <pre>
 * memory = base + perRankModule × targetModules × (Σ client ranks + globalRank), at most max
 * </pre>
 *
 * where {@code perRankModule} is what one rank of one target module takes over all layers (A and B,
 * float32, with room for decoding and the working copies): 2 MiB covers a 32-layer, 4096-wide model
 * twice (a 7B decoder: 32 × (4096 + 4096) × 4 B = 1 MiB). The request is also the limit, so the
 * aggregator is never the pod the kubelet evicts first.
 *
 * @param aggregatorCpu CPU request of the aggregator
 * @param memoryBase memory of an aggregator before any adapter (JVM, model metadata, buffers)
 * @param memoryPerRankModule memory per rank per target module
 * @param memoryMax the largest aggregator memory the formula may ask for
 * @param tmpSizeLimit size limit of each workload's {@code /tmp} volume
 */
public record WorkloadSizing(
    String aggregatorCpu,
    String memoryBase,
    String memoryPerRankModule,
    String memoryMax,
    String tmpSizeLimit) {

  private static final long MIB = 1L << 20;

  /** The defaults of {@code flotilla.sizing.*}. */
  public static final WorkloadSizing DEFAULTS =
      new WorkloadSizing("1", "768Mi", "2Mi", "32Gi", "4Gi");

  /** The operator's configured sizing. */
  public static WorkloadSizing of(OperatorConfig.Sizing config) {
    return new WorkloadSizing(
        config.aggregatorCpu(),
        config.aggregatorMemoryBase(),
        config.aggregatorMemoryPerRankModule(),
        config.aggregatorMemoryMax(),
        config.tmpSizeLimit());
  }

  /** The aggregator's memory in bytes for {@code action}, rounded up to a MiB. */
  public long aggregatorMemoryBytes(FederationSpec spec, CreateAggregator action) {
    return new AggregatorMemory(bytes(memoryBase), bytes(memoryPerRankModule), bytes(memoryMax))
        .bytes(spec, action);
  }

  /** Requests (CPU, memory) and the memory limit of the aggregator of {@code action}. */
  public ResourceRequirements aggregatorResources(FederationSpec spec, CreateAggregator action) {
    Quantity memory = new Quantity(aggregatorMemoryBytes(spec, action) / MIB + "Mi");
    return new ResourceRequirementsBuilder()
        .withRequests(Map.of("cpu", new Quantity(aggregatorCpu), "memory", memory))
        .withLimits(Map.of("memory", memory))
        .build();
  }

  private static long bytes(String quantity) {
    return Quantity.getAmountInBytes(new Quantity(quantity)).longValue();
  }
}
