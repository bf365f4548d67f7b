package dev.flotilla.core.aggregation.bench;

import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import dev.flotilla.core.aggregation.AggregationConfig;
import dev.flotilla.core.aggregation.AggregationResult;
import dev.flotilla.core.aggregation.AggregationStrategyType;
import dev.flotilla.core.aggregation.ClientUpdate;
import dev.flotilla.core.aggregation.DenseKernels;
import dev.flotilla.core.aggregation.DenseReference;
import dev.flotilla.core.aggregation.FlexLoraStrategy;
import dev.flotilla.core.aggregation.GramFloor;
import dev.flotilla.core.aggregation.ModuleDiagnostics;
import dev.flotilla.core.aggregation.SolverPath;
import dev.flotilla.core.aggregation.SyntheticClients;
import dev.flotilla.core.aggregation.SyntheticClients.Spectrum;
import dev.flotilla.core.aggregation.Weighting;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.ejml.data.DMatrixRMaj;

/**
 * FlexLoRA aggregation benchmark against the dense reference (materialise ΔW, full SVD), printing
 * time, peak heap and error for the BERT-base and LLaMA-7B shapes. Not a test: run it as a main
 * (see docs/benchmarks/flexlora.md). Arguments: {@code --shape bert|llama|all}, {@code --layers N}
 * (LLaMA layers, default 32), {@code --dense-bert N} (BERT modules timed densely, default all 24),
 * {@code --dense-llama true|false} (time one dense 4096² and one dense 11008×4096 LLaMA module, on
 * the first spectrum only, full layers only, default true), {@code --modules N} (first N modules of
 * each LLaMA layer, for profiling; default 7), {@code --warmup-layers N} (untimed LLaMA layers
 * first, default 1), {@code --llama-clients N} (default 80; more clients, larger R, move the solver
 * to its truncated path), {@code --spectra REALISTIC,FLAT}, {@code --linalg auto|openblas|java}
 * (the kernels of both Flotilla and the dense reference).
 */
public final class FlexLoraBenchmark {
  private static final double ALPHA = 16;
  private static final long SEED = 20261201L;
  private static final int TIMED_BERT_RUNS = 5;

  private FlexLoraBenchmark() {}

  /** One module shape of a transformer layer. */
  record Shape(String name, int out, int in) {}

  /** Runs the benchmark. */
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    String shape = opts.getOrDefault("shape", "all");
    DenseKernels kernels = DenseKernels.forName(opts.getOrDefault("linalg", "auto"));
    System.out.printf(
        "JVM %s, linear algebra %s, %d processors, max heap %d MiB, load %s%n",
        System.getProperty("java.version"),
        kernels.describe(),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        loadAverage());
    if (shape.equals("bert") || shape.equals("all")) {
      bert(Integer.parseInt(opts.getOrDefault("dense-bert", "24")), kernels);
    }
    if (shape.equals("llama") || shape.equals("all")) {
      llama(
          Integer.parseInt(opts.getOrDefault("layers", "32")),
          Boolean.parseBoolean(opts.getOrDefault("dense-llama", "true")),
          Integer.parseInt(opts.getOrDefault("warmup-layers", "1")),
          Integer.parseInt(opts.getOrDefault("modules", "7")),
          Integer.parseInt(opts.getOrDefault("llama-clients", "80")),
          Arrays.stream(opts.getOrDefault("spectra", "REALISTIC,FLAT").split(","))
              .map(Spectrum::valueOf)
              .toList(),
          kernels);
    }
  }

  private static void bert(int denseModules, DenseKernels kernels) {
    List<Shape> shapes = new ArrayList<>();
    for (int l = 0; l < 12; l++) {
      shapes.add(new Shape("bert.encoder.layer." + l + ".attention.self.query", 768, 768));
      shapes.add(new Shape("bert.encoder.layer." + l + ".attention.self.value", 768, 768));
    }
    int[] ranks = SyntheticClients.ranks(32, new int[] {4, 8, 16, 64}, 0.8);
    AggregationConfig cfg = config(16, 4, 8, 16, 64);
    System.out.printf(
        "%n== BERT-base: %d modules 768x768, 32 clients, ranks %s (R = %d), global rank 16%n",
        shapes.size(), histogram(ranks), Arrays.stream(ranks).sum());
    for (Spectrum spectrum : Spectrum.values()) {
      List<ClientUpdate> updates = clients(shapes, ranks, spectrum, SEED);
      long bytes = adapterBytes(updates);
      for (int w = 0; w < 3; w++) {
        new FlexLoraStrategy(kernels).aggregate(updates, cfg);
      }
      Run run = null;
      StringBuilder all = new StringBuilder();
      for (int rep = 0; rep < TIMED_BERT_RUNS; rep++) {
        Run r = timed(updates, cfg, kernels);
        all.append(String.format(" %.3f (CPU %.2f)", r.seconds, r.cpuSeconds));
        run = run == null || r.seconds < run.seconds ? r : run;
      }
      System.out.printf(
          "%s: %d timed runs, wall s (process CPU s):%s%n", spectrum, TIMED_BERT_RUNS, all);
      System.out.printf(
          "%s: Flotilla best %.3f s (load %s), peak heap %.0f MiB = %.2fx the clients' adapter bytes"
              + " (%.0f MiB), peak RSS %.0f MiB; %s%n",
          spectrum,
          run.seconds,
          loadAverage(),
          run.peak / 1048576.0,
          (double) run.peak / bytes,
          bytes / 1048576.0,
          run.peakRss / 1048576.0,
          summary(run.result));
      if (denseModules > 0) {
        Dense dense = dense(updates, run.result, shapes.subList(0, denseModules), cfg, kernels);
        double denseAll = dense.seconds * shapes.size() / denseModules;
        System.out.printf(
            "%s: dense reference %.2f s (process CPU %.1f s) for %d modules (%s), peak heap %.0f MiB;"
                + " worst measured ‖ΔW−Ŵ_r‖/‖ΔW−W_r‖ = %.6f (r ∈ %s); speed-up %.1fx%n",
            spectrum,
            denseAll,
            dense.cpuSeconds * shapes.size() / denseModules,
            shapes.size(),
            denseModules == shapes.size() ? "all timed" : denseModules + " timed, extrapolated",
            dense.peak / 1048576.0,
            dense.worstRatio,
            Arrays.toString(cfg.targetRanks()),
            denseAll / run.seconds);
      }
    }
  }

  private static void llama(
      int layers,
      boolean denseModule,
      int warmupLayers,
      int modulesPerLayer,
      int clients,
      List<Spectrum> spectra,
      DenseKernels kernels) {
    List<Shape> layer = new ArrayList<>();
    for (String p : List.of("q_proj", "k_proj", "v_proj", "o_proj")) {
      layer.add(new Shape("self_attn." + p, 4096, 4096));
    }
    layer.add(new Shape("mlp.gate_proj", 11008, 4096));
    layer.add(new Shape("mlp.up_proj", 11008, 4096));
    layer.add(new Shape("mlp.down_proj", 4096, 11008));
    layer = layer.subList(0, modulesPerLayer);
    int[] ranks = SyntheticClients.ranks(clients, new int[] {8, 30, 200}, 0.8);
    AggregationConfig cfg = config(64, 8, 30, 200);
    System.out.printf(
        "%n== LLaMA-7B: %d of 32 layers x %s, %d clients, ranks %s (R = %d), global rank 64%n",
        layers,
        modulesPerLayer == 7
            ? "(4 x 4096x4096, 2 x 11008x4096, 4096x11008)"
            : "the first " + modulesPerLayer + " modules (profiling run, not a full layer)",
        clients,
        histogram(ranks),
        Arrays.stream(ranks).sum());
    for (Spectrum spectrum : spectra) {
      double total = 0;
      long peak = 0;
      long bytes = 0;
      List<String> summaries = new ArrayList<>();
      for (int l = -warmupLayers; l < layers; l++) {
        List<Shape> shapes = new ArrayList<>();
        for (Shape s : layer) {
          shapes.add(new Shape("model.layers." + Math.max(l, 0) + "." + s.name, s.out, s.in));
        }
        List<ClientUpdate> updates = clients(shapes, ranks, spectrum, SEED + l);
        bytes = adapterBytes(updates);
        Run run = timed(updates, cfg, kernels);
        if (l < 0) {
          continue; // warm-up layer
        }
        total += run.seconds;
        peak = Math.max(peak, run.peak);
        summaries.add(summary(run.result));
        System.out.printf(
            "%s layer %d: %.2f s (process CPU %.1f s, load %s), peak heap %.2fx, peak RSS %.0f MiB;"
                + " %s%n",
            spectrum,
            l,
            run.seconds,
            run.cpuSeconds,
            loadAverage(),
            (double) run.peak / bytes,
            run.peakRss / 1048576.0,
            summaries.get(l));
        if (l == 0 && denseModule && denseLayerSeconds == 0 && modulesPerLayer == 7) {
          Floor floor = floor(updates, cfg, kernels);
          // one module of each shape class timed densely: q_proj (4096²) and gate_proj
          // (11008×4096);
          // the layer has 4 of the first and 3 of the second (down_proj is its transpose)
          Dense square = dense(updates, run.result, shapes.subList(0, 1), cfg, kernels);
          Dense tall = dense(updates, run.result, shapes.subList(4, 5), cfg, kernels);
          for (Dense d : List.of(square, tall)) {
            System.out.printf(
                "%s dense reference, one %s module (%s, every processor): form ΔW %.1f s + full SVD"
                    + " %.1f s ="
                    + " %.1f s (process CPU %.1f s, load %s), peak heap %.0f MiB; worst measured"
                    + " ‖ΔW−Ŵ_r‖/‖ΔW−W_r‖ = %.6f%n",
                spectrum,
                d == square ? "4096x4096" : "11008x4096",
                kernels.name().equals("openblas")
                    ? "OpenBLAS dgemm + LAPACK dgesdd"
                    : "Java kernels + EJML SVD",
                d.formSeconds,
                d.seconds - d.formSeconds,
                d.seconds,
                d.cpuSeconds,
                loadAverage(),
                d.peak / 1048576.0,
                d.worstRatio);
          }
          double perLayer = 4 * square.seconds + 3 * tall.seconds;
          System.out.printf(
              "%s dense reference per layer (4 x the 4096² module + 3 x the 11008x4096 module, each"
                  + " timed once): %.0f s; Flotilla on those two modules %.2f s and %.2f s%n",
              spectrum,
              perLayer,
              run.result.modules().get(shapes.get(0).name).seconds(),
              run.result.modules().get(shapes.get(4).name).seconds());
          denseLayerSeconds = perLayer;
          double gflop =
              shapes.stream()
                      .mapToDouble(s -> GramFloor.flops(Arrays.stream(ranks).sum(), s.out, s.in))
                      .sum()
                  / 1e9;
          System.out.printf(
              "%s Gram floor: concatenation + G_A + G_B of the layer's %d modules, in parallel as"
                  + " FlexLoRA runs them, best of 2, before the dense reference: %.2f s (process CPU"
                  + " %.1f s; %.0f GFLOP at %.0f GFLOP/s): with this Gram phase no solver can beat"
                  + " the dense reference by more than %.1fx%n",
              spectrum,
              shapes.size(),
              floor.seconds,
              floor.cpuSeconds,
              gflop,
              gflop / floor.seconds,
              perLayer / floor.seconds);
        }
      }
      System.out.printf(
          "%s: Flotilla %.2f s per layer (%d layers, %.1f s total; 32 layers ≈ %.0f s),"
              + " peak heap %.2fx one layer's client adapter bytes (%.0f MiB)%n",
          spectrum,
          total / layers,
          layers,
          total,
          total / layers * 32,
          (double) peak / bytes,
          bytes / 1048576.0);
      if (denseLayerSeconds > 0) {
        System.out.printf(
            "%s: speed-up vs dense reference %.1fx per layer (dense timed once, on %s layer 0;"
                + " its cost does not depend on the spectrum)%n",
            spectrum, denseLayerSeconds / (total / layers), spectra.get(0));
      }
    }
  }

  private static double denseLayerSeconds;

  private record Run(
      AggregationResult result, double seconds, double cpuSeconds, long peak, long peakRss) {}

  private record Dense(
      double seconds, double formSeconds, double cpuSeconds, long peak, double worstRatio) {}

  private record Floor(double seconds, double cpuSeconds) {}

  /** Best of two runs of {@link GramFloor#seconds}, each after a collection. */
  private static Floor floor(
      List<ClientUpdate> updates, AggregationConfig cfg, DenseKernels kernels) {
    Floor best = null;
    for (int i = 0; i < 2; i++) {
      System.gc();
      long cpu = processCpuNanos();
      double seconds = GramFloor.seconds(updates, cfg, kernels);
      Floor f = new Floor(seconds, (processCpuNanos() - cpu) / 1e9);
      best = best == null || f.seconds < best.seconds ? f : best;
    }
    return best;
  }

  private static Run timed(
      List<ClientUpdate> updates, AggregationConfig cfg, DenseKernels kernels) {
    System.gc();
    try (HeapPeakSampler sampler = new HeapPeakSampler()) {
      long start = System.nanoTime();
      long cpu = processCpuNanos();
      AggregationResult result = new FlexLoraStrategy(kernels).aggregate(updates, cfg);
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuSeconds = (processCpuNanos() - cpu) / 1e9;
      return new Run(result, seconds, cpuSeconds, sampler.peakBytes(), sampler.peakRssBytes());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Dense reference on {@code shapes}: time and peak of form-ΔW + SVD; measured optimality. */
  private static Dense dense(
      List<ClientUpdate> updates,
      AggregationResult ours,
      List<Shape> shapes,
      AggregationConfig cfg,
      DenseKernels kernels) {
    double[] weights =
        updates.stream().mapToDouble(u -> ours.weights().get(u.clientId())).toArray();
    double[] alphas = updates.stream().mapToDouble(u -> u.adapter().alpha()).toArray();
    double seconds = 0;
    double formSeconds = 0;
    double cpuSeconds = 0;
    long peak = 0;
    double worst = 1;
    for (Shape s : shapes) {
      List<LoraModule> modules =
          updates.stream().map(u -> u.adapter().modules().get(s.name)).toList();
      System.gc();
      DenseReference.Svd svd;
      DMatrixRMaj delta;
      try (HeapPeakSampler sampler = new HeapPeakSampler()) {
        long start = System.nanoTime();
        long cpu = processCpuNanos();
        delta = DenseReference.updateByProduct(modules, weights, alphas, kernels);
        formSeconds += (System.nanoTime() - start) / 1e9;
        svd = DenseReference.svd(delta, kernels);
        seconds += (System.nanoTime() - start) / 1e9;
        cpuSeconds += (processCpuNanos() - cpu) / 1e9;
        peak = Math.max(peak, sampler.peakBytes());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      for (int r : cfg.targetRanks()) {
        LoraAdapter adapter = r == cfg.globalRank() ? ours.global() : ours.byClientRank().get(r);
        DMatrixRMaj mine = DenseReference.product(adapter.modules().get(s.name), ALPHA / r);
        worst = Math.max(worst, DenseReference.distance(delta, mine) / svd.tail(r));
      }
    }
    return new Dense(seconds, formSeconds, cpuSeconds, peak, worst);
  }

  private static List<ClientUpdate> clients(
      List<Shape> shapes, int[] ranks, Spectrum spectrum, long seed) {
    List<Map<String, LoraModule>> perClient = new ArrayList<>();
    for (int c = 0; c < ranks.length; c++) {
      perClient.add(new LinkedHashMap<>());
    }
    long s = seed;
    for (Shape shape : shapes) {
      List<LoraModule> modules =
          SyntheticClients.module(shape.name, shape.out, shape.in, ranks, spectrum, s++);
      for (int c = 0; c < ranks.length; c++) {
        perClient.get(c).put(shape.name, modules.get(c));
      }
    }
    List<ClientUpdate> updates = new ArrayList<>();
    for (int c = 0; c < ranks.length; c++) {
      updates.add(
          new ClientUpdate(
              "client-" + c,
              100 + 37L * c % 400,
              SyntheticClients.adapter(perClient.get(c), ALPHA, Map.of())));
    }
    return updates;
  }

  private static AggregationConfig config(int global, Integer... clientRanks) {
    return new AggregationConfig(
        AggregationStrategyType.FLEXLORA,
        global,
        Weighting.SAMPLES,
        ALPHA,
        new TreeSet<>(List.of(clientRanks)));
  }

  private static long adapterBytes(List<ClientUpdate> updates) {
    long bytes = 0;
    for (ClientUpdate u : updates) {
      for (LoraModule m : u.adapter().modules().values()) {
        bytes += 4L * (m.a().data().length + m.b().data().length);
      }
    }
    return bytes;
  }

  private static String summary(AggregationResult result) {
    int exact = 0;
    int truncated = 0;
    int maxBlocks = 0;
    int maxDim = 0;
    double worstBound = 1;
    double maxError = 0;
    for (ModuleDiagnostics d : result.modules().values()) {
      if (d.path() == SolverPath.EXACT) {
        exact++;
      } else {
        truncated++;
      }
      maxBlocks = Math.max(maxBlocks, d.iterations());
      maxDim = Math.max(maxDim, d.subspaceDim());
      worstBound = Math.max(worstBound, d.optimalityBound());
      maxError = Math.max(maxError, d.relativeError());
    }
    return String.format(
        "paths EXACT=%d TRUNCATED=%d, Krylov blocks ≤ %d, subspace ≤ %d, certified ratio ≤ %.6f,"
            + " rel. error at global rank ≤ %.4f",
        exact, truncated, maxBlocks, maxDim, worstBound, maxError);
  }

  private static String histogram(int[] ranks) {
    Map<Integer, Integer> counts = new java.util.TreeMap<>();
    for (int r : ranks) {
      counts.merge(r, 1, Integer::sum);
    }
    return counts.toString();
  }

  /** CPU time of the whole process (all threads, including PyTorch's native ones). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String loadAverage() {
    return String.format(
        "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }
}
