package dev.flotilla.local.run;

import dev.flotilla.aggregator.RoundAggregation;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.RoundManifest;
import dev.flotilla.core.storage.RoundPlan;
import dev.flotilla.core.storage.RoundStore;
import dev.flotilla.core.storage.StorageLayout;
import dev.flotilla.local.report.MetricsChart;
import dev.flotilla.local.report.MetricsCsv;
import dev.flotilla.local.report.RoundResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The results of a run, read back from the committed manifests: one {@link RoundResult} per
 * committed round, and the output directory (final global adapter in PEFT layout, metrics CSV,
 * plot).
 */
final class RunReport {
  private RunReport() {}

  /**
   * The committed rounds up to {@code lastRound}, in order, preceded by round 0 (the untrained
   * starting point) when the first round from fresh adapters scored it.
   */
  static List<RoundResult> results(RoundStore rounds, int lastRound, Map<Integer, String> starts)
      throws IOException {
    List<RoundResult> results = new ArrayList<>();
    for (int round = 1; round <= lastRound; round++) {
      Optional<RoundManifest> manifest = rounds.readManifest(round);
      if (manifest.isEmpty()) {
        continue;
      }
      RoundManifest m = manifest.get();
      if (results.isEmpty()) {
        untrained(m).ifPresent(results::add);
      }
      int sampled =
          rounds
              .readPlan(round)
              .map(RoundPlan::clients)
              .map(List::size)
              .orElse(m.accepted().size());
      results.add(
          new RoundResult(
              round,
              sampled,
              m.accepted().size(),
              m.rejected().size() + m.failed().size(),
              optional(m.meanTrainLoss()),
              optional(m.evalMetrics().get("loss")),
              optional(m.evalMetrics().get("accuracy")),
              seconds(starts.get(round), m.committedAt())));
    }
    return results;
  }

  /** Copies the final global adapter and writes the CSV and the plot into {@code output}. */
  static void write(
      Path output,
      String federation,
      ObjectStore store,
      StorageLayout layout,
      int lastCommitted,
      List<RoundResult> results)
      throws IOException {
    Files.createDirectories(output);
    if (lastCommitted > 0) {
      Path adapter = output.resolve("adapter");
      String prefix = layout.globalAdapterPrefix(lastCommitted);
      store.getToFile(
          prefix + StorageLayout.ADAPTER_MODEL, adapter.resolve(StorageLayout.ADAPTER_MODEL));
      store.getToFile(
          prefix + StorageLayout.ADAPTER_CONFIG, adapter.resolve(StorageLayout.ADAPTER_CONFIG));
    }
    MetricsCsv.write(output.resolve("metrics.csv"), results);
    MetricsChart.write(output.resolve("metrics.png"), federation, results);
  }

  private static Optional<RoundResult> untrained(RoundManifest first) {
    Map<String, Double> metrics = first.evalMetrics();
    String prefix = RoundAggregation.UNTRAINED_PREFIX;
    if (first.baseRound() != 0 || !metrics.containsKey(prefix + "loss")) {
      return Optional.empty();
    }
    return Optional.of(
        new RoundResult(
            0,
            0,
            0,
            0,
            OptionalDouble.empty(),
            optional(metrics.get(prefix + "loss")),
            optional(metrics.get(prefix + "accuracy")),
            Double.NaN));
  }

  private static OptionalDouble optional(Double value) {
    return value == null || !Double.isFinite(value)
        ? OptionalDouble.empty()
        : OptionalDouble.of(value);
  }

  /** Wall-clock seconds from the round's start (seen by this runtime) to its commit. */
  private static double seconds(String started, String committedAt) {
    if (started == null || committedAt == null) {
      return Double.NaN;
    }
    return Duration.between(Instant.parse(started), Instant.parse(committedAt)).toMillis() / 1000.0;
  }
}
