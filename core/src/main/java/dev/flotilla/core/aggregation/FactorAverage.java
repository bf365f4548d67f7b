package dev.flotilla.core.aggregation;

import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Factor-wise weighted averaging shared by FedAvg and HetLoRA (package-private): every client's A
 * (r_c × k) and B (d × r_c) is zero-padded to the largest rank and averaged with weights p_c; B is
 * also multiplied by α_c/α so clients trained with another {@code lora_alpha} keep their scale.
 * Each output rank r takes the first r rows of A and columns of B.
 */
final class FactorAverage {
  private FactorAverage() {}

  static AggregationResult aggregate(RoundInputs in) {
    AggregationConfig cfg = in.config();
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
      float[] fa = toFloat(a);
      float[] fb = toFloat(b);
      global.put(name, RoundInputs.truncate(name, fa, fb, max, cfg.globalRank(), d, k));
      for (int rank : cfg.clientRanks()) {
        perRank
            .computeIfAbsent(rank, x -> new LinkedHashMap<>())
            .put(name, RoundInputs.truncate(name, fa, fb, max, rank, d, k));
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
    Map<Integer, LoraAdapter> byRank = new HashMap<>();
    perRank.forEach((rank, mods) -> byRank.put(rank, in.adapter(mods, extras)));
    return new AggregationResult(in.adapter(global, extras), byRank, diagnostics, in.weightMap());
  }

  private static float[] toFloat(double[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }
}
