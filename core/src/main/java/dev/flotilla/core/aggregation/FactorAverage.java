package dev.flotilla.core.aggregation;

import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Factor-wise weighted averaging shared by FedAvg and HetLoRA (package-private): every client's A
 * (r_c × k) and B (d × r_c) is zero-padded to the largest rank and averaged with weights p_c; B is
 * also multiplied by α_c/α so clients trained with another {@code lora_alpha} keep their scale.
 * Each output rank r takes the first r rows of A and columns of B.
 *
 * <p>With a server optimizer and a previous global point, the averaged factors and extra tensors at
 * the widest output rank are the target of an element-wise step from the previous point ({@link
 * ElementwiseStep}); components no accepted client carries keep their previous value (Δ = 0).
 */
final class FactorAverage {
  private FactorAverage() {}

  static AggregationResult aggregate(RoundInputs in, ServerHistory history) {
    AggregationConfig cfg = in.config();
    ServerOptimizerConfig opt = cfg.serverOptimizer();
    PreviousPoint previous =
        opt.isActive() && history.previous().isPresent() ? PreviousPoint.of(history, in) : null;
    int[] targets = cfg.targetRanks();
    int widest = targets[targets.length - 1];
    Map<String, FloatTensor> state = new TreeMap<>();
    Map<String, LoraModule> global = new LinkedHashMap<>();
    Map<Integer, Map<String, LoraModule>> perRank = new HashMap<>();
    Map<String, ModuleDiagnostics> diagnostics = new LinkedHashMap<>();
    for (String name : in.moduleNames()) {
      long start = System.nanoTime();
      List<LoraModule> modules = in.modules(name);
      int d = modules.get(0).outFeatures();
      int k = modules.get(0).inFeatures();
      int max = modules.stream().mapToInt(LoraModule::rank).max().orElseThrow();
      double[] a = new double[max * k];
      double[] b = new double[d * max];
      int inner = 0;
      for (int c = 0; c < modules.size(); c++) {
        LoraModule m = modules.get(c);
        int r = m.rank();
        inner += r;
        double wa = in.weight(c);
        double wb = in.weight(c) * in.alpha(c) / cfg.alpha();
        float[] ca = m.a().data();
        for (int i = 0; i < r * k; i++) {
          a[i] += wa * ca[i];
        }
        float[] cb = m.b().data();
        for (int row = 0; row < d; row++) {
          for (int j = 0; j < r; j++) {
            b[row * max + j] += wb * cb[row * r + j];
          }
        }
      }
      float[] fa;
      float[] fb;
      int have;
      if (previous == null) {
        fa = toFloat(a);
        fb = toFloat(b);
        have = max;
      } else {
        LoraModule prev = previous.module(name);
        LoraModule wide =
            RoundInputs.truncate(name, prev.a().data(), prev.b().data(), prev.rank(), widest, d, k);
        float[] pa = wide.a().data();
        float[] pb = wide.b().data();
        double[] ta = new double[widest * k];
        double[] tb = new double[d * widest];
        for (int j = 0; j < widest; j++) {
          for (int col = 0; col < k; col++) {
            ta[j * k + col] = j < max ? a[j * k + col] : pa[j * k + col];
          }
          for (int row = 0; row < d; row++) {
            tb[row * widest + j] = j < max ? b[row * max + j] : pb[row * widest + j];
          }
        }
        OptimizerState old = history.state();
        fa = ElementwiseStep.apply(opt, name + ".A", new int[] {widest, k}, pa, ta, old, state);
        fb = ElementwiseStep.apply(opt, name + ".B", new int[] {d, widest}, pb, tb, old, state);
        have = widest;
      }
      global.put(name, RoundInputs.truncate(name, fa, fb, have, cfg.globalRank(), d, k));
      for (int rank : cfg.clientRanks()) {
        perRank
            .computeIfAbsent(rank, x -> new LinkedHashMap<>())
            .put(name, RoundInputs.truncate(name, fa, fb, have, rank, d, k));
      }
      diagnostics.put(
          name,
          new ModuleDiagnostics(
              SolverPath.FACTOR_AVERAGE,
              inner,
              0,
              0,
              Double.NaN,
              Double.NaN,
              (System.nanoTime() - start) / 1e9));
    }
    Map<String, FloatTensor> extras = in.averagedExtraTensors();
    if (previous != null) {
      extras = previous.stepExtras(opt, extras, history.state(), state);
    }
    Map<Integer, LoraAdapter> byRank = new HashMap<>();
    Map<String, FloatTensor> outExtras = extras;
    perRank.forEach((rank, mods) -> byRank.put(rank, in.adapter(mods, outExtras)));
    return new AggregationResult(
        in.adapter(global, extras),
        byRank,
        diagnostics,
        in.weightMap(),
        new OptimizerState(opt.type(), state, Map.of()));
  }

  private static float[] toFloat(double[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }
}
