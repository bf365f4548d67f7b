package dev.flotilla.core.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.adapter.LoraModule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Two FlexLoRA aggregations on different kernels in one JVM, at the same time: each gets exactly
 * the result (and solver path) it gets alone, so nothing about the kernel choice is shared.
 */
class ConcurrentKernelsTest {
  private static final int CLIENTS = 20;
  private static final int RUNS = 3;

  /**
   * Four modules, 20 clients of rank 8: R = 160 holds the 4 Krylov blocks of 24 columns the Java
   * kernels need for the truncated path, but not the 16 that LAPACK needs, so the two kernels take
   * different paths on the same inputs.
   */
  private static List<ClientUpdate> updates() {
    int[] ranks = new int[CLIENTS];
    Arrays.fill(ranks, 8);
    List<Map<String, LoraModule>> byClient = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      byClient.add(new LinkedHashMap<>());
    }
    for (int m = 0; m < 4; m++) {
      String name = "layer." + m + ".q";
      List<LoraModule> modules =
          SyntheticClients.module(
              name, 300, 280, ranks, SyntheticClients.Spectrum.values()[m % 2], 21 + m);
      for (int c = 0; c < CLIENTS; c++) {
        byClient.get(c).put(name, modules.get(c));
      }
    }
    List<ClientUpdate> updates = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      updates.add(
          new ClientUpdate(
              "client-" + c, 10 + 7L * c, SyntheticClients.adapter(byClient.get(c), 16, Map.of())));
    }
    return updates;
  }

  @Test
  void aggregationsOnDifferentKernelsRunSideBySideWithTheirOwnResultsAndPaths() throws Exception {
    Assumptions.assumeTrue(OpenBlas.loadFailure() == null, "OpenBLAS natives for this platform");
    List<ClientUpdate> updates = updates();
    AggregationConfig config =
        new AggregationConfig(
            AggregationStrategyType.FLEXLORA, 8, Weighting.SAMPLES, 16, new TreeSet<>(List.of(4)));
    FlexLoraStrategy openBlas = new FlexLoraStrategy(DenseKernels.forName("openblas"));
    FlexLoraStrategy java = new FlexLoraStrategy(DenseKernels.forName("java"));
    AggregationResult openBlasAlone = openBlas.aggregate(updates, config);
    AggregationResult javaAlone = java.aggregate(updates, config);
    assertThat(paths(openBlasAlone)).containsOnly(SolverPath.EXACT);
    assertThat(paths(javaAlone)).containsOnly(SolverPath.TRUNCATED);

    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      CyclicBarrier together = new CyclicBarrier(2);
      Future<List<AggregationResult>> openBlasRuns =
          threads.submit(() -> runs(openBlas, updates, config, together));
      Future<List<AggregationResult>> javaRuns =
          threads.submit(() -> runs(java, updates, config, together));
      for (AggregationResult run : openBlasRuns.get()) {
        assertIdentical(run, openBlasAlone);
      }
      for (AggregationResult run : javaRuns.get()) {
        assertIdentical(run, javaAlone);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  /** {@link #RUNS} aggregations, each started together with one of the other thread. */
  private static List<AggregationResult> runs(
      FlexLoraStrategy strategy,
      List<ClientUpdate> updates,
      AggregationConfig config,
      CyclicBarrier together)
      throws Exception {
    List<AggregationResult> out = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      together.await();
      out.add(strategy.aggregate(updates, config));
    }
    return out;
  }

  private static List<SolverPath> paths(AggregationResult result) {
    return result.modules().values().stream().map(ModuleDiagnostics::path).toList();
  }

  /** Adapters equal bit for bit (float arrays), diagnostics equal except the timing. */
  private static void assertIdentical(AggregationResult actual, AggregationResult expected) {
    assertThat(actual.global()).isEqualTo(expected.global());
    assertThat(actual.byClientRank()).isEqualTo(expected.byClientRank());
    assertThat(withoutSeconds(actual)).isEqualTo(withoutSeconds(expected));
  }

  private static Map<String, ModuleDiagnostics> withoutSeconds(AggregationResult result) {
    Map<String, ModuleDiagnostics> out = new TreeMap<>();
    result
        .modules()
        .forEach(
            (name, d) ->
                out.put(
                    name,
                    new ModuleDiagnostics(
                        d.path(),
                        d.innerRank(),
                        d.iterations(),
                        d.subspaceDim(),
                        d.relativeError(),
                        d.optimalityBound(),
                        0)));
    return out;
  }
}
