package dev.flotilla.aggregator.linalg;

import dev.flotilla.core.aggregation.GemmBackends;
import dev.flotilla.core.aggregation.bench.FlexLoraBenchmark;
import java.nio.file.Path;

/**
 * The FlexLoRA benchmark with PyTorch float64 GEMM installed for the large products of both
 * Flotilla and the dense reference's ΔW formation. Not a test: a main taking {@link
 * FlexLoraBenchmark}'s arguments (see docs/benchmarks/flexlora.md).
 */
public final class TorchFlexLoraBenchmark {
  private TorchFlexLoraBenchmark() {}

  /** Installs {@link TorchGemm} on every processor and runs the benchmark. */
  public static void main(String[] args) throws Exception {
    Path cache = Path.of(System.getProperty("user.home"), ".cache", "flotilla", "djl");
    try (TorchGemm torch = TorchGemm.open(Runtime.getRuntime().availableProcessors(), cache)) {
      GemmBackends.install(torch);
      FlexLoraBenchmark.main(args);
    } finally {
      GemmBackends.reset();
    }
  }
}
