package dev.flotilla.core.aggregation;

import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * FlexLoRA: per module, ΔW = Σ_c p_c (α_c/r_c) B_c A_c is decomposed as U S Vᵀ without forming the
 * d × k matrix, and each output rank r gets A = V_rᵀ, B = U_r S_r / (α/r), the best rank-r
 * approximation of ΔW (exactly, or certified within a factor 1 + 1e-3 in Frobenius norm; see {@link
 * MetricKrylovSolver}). Modules are processed in parallel, every product and decomposition on the
 * kernels given at construction, which also decide the solver path (exact or truncated).
 */
public final class FlexLoraStrategy implements AggregationStrategy {
  private final DenseKernels kernels;

  /** FlexLoRA on {@code kernels} (see {@link DenseKernels#forName}). */
  public FlexLoraStrategy(DenseKernels kernels) {
    this.kernels = Objects.requireNonNull(kernels, "kernels");
  }

  @Override
  public AggregationResult aggregate(List<ClientUpdate> updates, AggregationConfig config) {
    RoundInputs in = RoundInputs.of(updates, config);
    int[] targets = config.targetRanks();
    Map<String, Map<Integer, LoraModule>> outputs = new ConcurrentHashMap<>();
    Map<String, ModuleDiagnostics> diagnostics = new ConcurrentHashMap<>();
    in.moduleNames().parallelStream()
        .forEach(
            name -> {
              long start = System.nanoTime();
              Map<Integer, LoraModule> byRank = new HashMap<>();
              ModuleDiagnostics diag = aggregateModule(in, name, targets, byRank);
              outputs.put(name, byRank);
              diagnostics.put(name, withSeconds(diag, (System.nanoTime() - start) / 1e9));
            });
    Map<String, FloatTensor> extras = in.averagedExtraTensors();
    Map<Integer, LoraAdapter> adapters = new HashMap<>();
    for (int rank : targets) {
      Map<String, LoraModule> modules = new HashMap<>();
      outputs.forEach((name, byRank) -> modules.put(name, byRank.get(rank)));
      adapters.put(rank, in.adapter(modules, extras));
    }
    Map<Integer, LoraAdapter> byClientRank = new HashMap<>();
    config.clientRanks().forEach(r -> byClientRank.put(r, adapters.get(r)));
    return new AggregationResult(
        adapters.get(config.globalRank()), byClientRank, diagnostics, in.weightMap());
  }

  private ModuleDiagnostics aggregateModule(
      RoundInputs in, String name, int[] targets, Map<Integer, LoraModule> out) {
    FactoredUpdate update = FactoredUpdate.of(in, name, kernels);
    TopSpectrum top;
    Matrix v;
    Matrix us;
    try (update) {
      top = MetricKrylovSolver.solve(update, targets, name.hashCode(), kernels);
      v = kernels.multiply(update.downT(), top.y());
      us = kernels.multiply(update.up(), kernels.multiply(update.gramDown(), top.y()));
    }
    int d = update.up().rows();
    int k = update.downT().rows();
    int have = top.theta().length;
    double[] vd = v.data();
    double[] usd = us.data();
    float[] a = new float[have * k];
    for (int row = 0; row < k; row++) {
      for (int j = 0; j < have; j++) {
        a[j * k + row] = (float) vd[row * have + j];
      }
    }
    for (int rank : targets) {
      double unscale = rank / in.config().alpha();
      float[] b = new float[d * have];
      for (int i = 0; i < b.length; i++) {
        b[i] = (float) (usd[i] * unscale);
      }
      out.put(rank, RoundInputs.truncate(name, a, b, have, rank, d, k));
    }
    return new ModuleDiagnostics(
        top.path(),
        update.innerRank(),
        top.blocks(),
        top.subspaceDim(),
        OptimalityCertificate.relativeError(update.energy(), top.theta(), in.config().globalRank()),
        top.worstRatioBound(),
        0);
  }

  private static ModuleDiagnostics withSeconds(ModuleDiagnostics d, double seconds) {
    return new ModuleDiagnostics(
        d.path(),
        d.innerRank(),
        d.iterations(),
        d.subspaceDim(),
        d.relativeError(),
        d.optimalityBound(),
        seconds);
  }
}
