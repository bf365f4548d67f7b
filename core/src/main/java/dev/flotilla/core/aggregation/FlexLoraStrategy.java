package dev.flotilla.core.aggregation;

import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * FlexLoRA: per module, ΔW = Σ_c p_c (α_c/r_c) B_c A_c is decomposed as U S Vᵀ without forming the
 * d × k matrix, and each output rank r gets A = V_rᵀ, B = U_r S_r / (α/r), the best rank-r
 * approximation of ΔW (exactly, or certified within a factor 1 + 1e-3 in Frobenius norm; see {@link
 * MetricKrylovSolver}). Modules are processed in parallel, every product and decomposition on the
 * kernels given at construction, which also decide the solver path (exact or truncated).
 *
 * <p>Server optimizer (SGD only: Adam, Yogi and Adagrad act element-wise on the d × k update, which
 * FlexLoRA never forms). With a server learning rate η the new point (1 − η)·W_prev + η·Σ_c p_c
 * (α_c/r_c) B_c A_c is again a weighted sum of products, decomposed as it is: exact, then truncated
 * to the output ranks like plain FlexLoRA. With momentum β the momentum M = β·M_prev + (ΔW −
 * W_prev) is itself a sum of products, kept at a rank budget q by the same decomposition (the
 * truncation's relative error and optimality bound are stored with the state), and the new point
 * W_prev + η·M is decomposed and truncated again.
 */
public final class FlexLoraStrategy implements AggregationStrategy {
  private final DenseKernels kernels;

  /** FlexLoRA on {@code kernels} (see {@link DenseKernels#forName}). */
  public FlexLoraStrategy(DenseKernels kernels) {
    this.kernels = Objects.requireNonNull(kernels, "kernels");
  }

  @Override
  public AggregationResult aggregate(
      List<ClientUpdate> updates, AggregationConfig config, ServerHistory history) {
    ServerOptimizerConfig opt = config.serverOptimizer();
    if (opt.type().isAdaptive()) {
      throw new IllegalArgumentException(
          "serverOptimizer "
              + opt.type().name().toLowerCase(Locale.ROOT)
              + " acts element-wise on the d x k update, which flexlora keeps factored; use"
              + " serverOptimizer sgd (learningRate, momentum) with flexlora, or fedavg/hetlora");
    }
    RoundInputs in = RoundInputs.of(updates, config);
    PreviousPoint previous =
        opt.isActive() && history.previous().isPresent() ? PreviousPoint.of(history, in) : null;
    int[] targets = config.targetRanks();
    Map<String, Map<Integer, LoraModule>> outputs = new ConcurrentHashMap<>();
    Map<String, ModuleDiagnostics> diagnostics = new ConcurrentHashMap<>();
    Map<String, FloatTensor> state = new ConcurrentHashMap<>();
    Map<String, String> certificates = new ConcurrentHashMap<>();
    in.moduleNames().parallelStream()
        .forEach(
            name -> {
              long start = System.nanoTime();
              Map<Integer, LoraModule> byRank = new HashMap<>();
              FactoredUpdate update =
                  previous == null
                      ? FactoredUpdate.of(in, name, kernels)
                      : steppedUpdate(in, name, previous, history.state(), state, certificates);
              ModuleDiagnostics diag = aggregateModule(in, name, update, targets, byRank);
              outputs.put(name, byRank);
              diagnostics.put(name, withSeconds(diag, (System.nanoTime() - start) / 1e9));
            });
    Map<String, FloatTensor> extras = in.averagedExtraTensors();
    if (previous != null) {
      Map<String, FloatTensor> extraState = new HashMap<>();
      extras = previous.stepExtras(opt, extras, history.state(), extraState);
      state.putAll(extraState);
    }
    Map<Integer, LoraAdapter> adapters = new HashMap<>();
    for (int rank : targets) {
      Map<String, LoraModule> modules = new HashMap<>();
      outputs.forEach((name, byRank) -> modules.put(name, byRank.get(rank)));
      adapters.put(rank, in.adapter(modules, extras));
    }
    Map<Integer, LoraAdapter> byClientRank = new HashMap<>();
    config.clientRanks().forEach(r -> byClientRank.put(r, adapters.get(r)));
    return new AggregationResult(
        adapters.get(config.globalRank()),
        byClientRank,
        diagnostics,
        in.weightMap(),
        new OptimizerState(opt.type(), state, certificates));
  }

  /**
   * The new point of module {@code name} as a factored sum: (1 − η)·W_prev + η·ΔW without momentum,
   * else W_prev + η·M with M truncated to the rank budget (its factors stored in {@code state}, its
   * certificate in {@code certificates}).
   */
  private FactoredUpdate steppedUpdate(
      RoundInputs in,
      String name,
      PreviousPoint previous,
      OptimizerState old,
      Map<String, FloatTensor> state,
      Map<String, String> certificates) {
    ServerOptimizerConfig opt = in.config().serverOptimizer();
    double eta = opt.learningRate();
    List<LoraModule> clients = in.modules(name);
    LoraModule prev = previous.module(name);
    double prevScale = previous.scaling(name);
    List<LoraModule> terms = new ArrayList<>();
    List<Double> scales = new ArrayList<>();
    if (opt.momentum() == 0) {
      for (int c = 0; c < clients.size(); c++) {
        terms.add(clients.get(c));
        scales.add(eta * clientScale(in, clients, c));
      }
      terms.add(prev);
      scales.add((1 - eta) * prevScale);
      return FactoredUpdate.of(terms, unbox(scales), kernels);
    }
    LoraModule oldMomentum = momentum(name, old);
    if (oldMomentum != null) {
      terms.add(oldMomentum);
      scales.add(opt.momentum());
    }
    for (int c = 0; c < clients.size(); c++) {
      terms.add(clients.get(c));
      scales.add(clientScale(in, clients, c));
    }
    terms.add(prev);
    scales.add(-prevScale);
    int budget = opt.momentumRank(in.config().globalRank());
    Truncation m;
    try (FactoredUpdate sum = FactoredUpdate.of(terms, unbox(scales), kernels)) {
      m = truncation(name, sum, new int[] {budget});
    }
    int q = Math.min(budget, m.have());
    if (q == 0) {
      return FactoredUpdate.of(List.of(prev), new double[] {prevScale}, kernels);
    }
    int d = prev.outFeatures();
    int k = prev.inFeatures();
    LoraModule momentum = RoundInputs.truncate(name, m.a(), m.b(1), m.have(), q, d, k);
    state.put("m:" + name + ".up", momentum.b());
    state.put("m:" + name + ".down", momentum.a());
    certificates.put(
        "momentum_relative_error." + name,
        Double.toString(OptimalityCertificate.relativeError(m.energy(), m.top().theta(), budget)));
    certificates.put(
        "momentum_optimality_bound." + name, Double.toString(m.top().worstRatioBound()));
    return FactoredUpdate.of(List.of(prev, momentum), new double[] {prevScale, eta}, kernels);
  }

  private static double clientScale(RoundInputs in, List<LoraModule> clients, int c) {
    return in.weight(c) * in.alpha(c) / clients.get(c).rank();
  }

  /** The stored momentum of module {@code name} as a product up·down, or null when none. */
  private static LoraModule momentum(String name, OptimizerState old) {
    FloatTensor up = old.tensor(ServerOptimizerType.SGD, "m:" + name + ".up").orElse(null);
    FloatTensor down = old.tensor(ServerOptimizerType.SGD, "m:" + name + ".down").orElse(null);
    if (up == null || down == null || up.dim(1) == 0) {
      return null;
    }
    return new LoraModule(name, down, up);
  }

  private static double[] unbox(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * The leading singular triplets of a factored sum: A = Vᵀ (have × k) and U·S (d × have), with the
   * exact energy and the solver's spectrum.
   */
  private record Truncation(float[] a, double[] us, int have, double energy, TopSpectrum top) {
    /** U·S multiplied by {@code scale}, as floats. */
    float[] b(double scale) {
      float[] out = new float[us.length];
      for (int i = 0; i < us.length; i++) {
        out[i] = (float) (us[i] * scale);
      }
      return out;
    }
  }

  private Truncation truncation(String name, FactoredUpdate update, int[] targets) {
    TopSpectrum top = MetricKrylovSolver.solve(update, targets, name.hashCode(), kernels);
    Matrix v = kernels.multiply(update.downT(), top.y());
    Matrix us = kernels.multiply(update.up(), kernels.multiply(update.gramDown(), top.y()));
    int k = update.downT().rows();
    int have = top.theta().length;
    double[] vd = v.data();
    float[] a = new float[have * k];
    for (int row = 0; row < k; row++) {
      for (int j = 0; j < have; j++) {
        a[j * k + row] = (float) vd[row * have + j];
      }
    }
    return new Truncation(a, us.data(), have, update.energy(), top);
  }

  private ModuleDiagnostics aggregateModule(
      RoundInputs in,
      String name,
      FactoredUpdate update,
      int[] targets,
      Map<Integer, LoraModule> out) {
    Truncation t;
    int d = update.up().rows();
    int k = update.downT().rows();
    int inner = update.innerRank();
    try (update) {
      t = truncation(name, update, targets);
    }
    for (int rank : targets) {
      float[] b = t.b(rank / in.config().alpha());
      out.put(rank, RoundInputs.truncate(name, t.a(), b, t.have(), rank, d, k));
    }
    return new ModuleDiagnostics(
        t.top().path(),
        inner,
        t.top().blocks(),
        t.top().subspaceDim(),
        OptimalityCertificate.relativeError(t.energy(), t.top().theta(), in.config().globalRank()),
        t.top().worstRatioBound(),
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
