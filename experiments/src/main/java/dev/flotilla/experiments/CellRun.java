package dev.flotilla.experiments;

import java.util.ArrayList;
import java.util.List;

/**
 * One run of a cell with one seed, stored as {@code raw/<cell>-s<seed>.csv} (or {@code .failed}).
 *
 * @param cell the configuration
 * @param seed the seed of sampling, partitioning, rank assignment, LoRA/head init and shuffling
 */
public record CellRun(ExperimentCell cell, long seed) {

  /** The store key, e.g. {@code spam-fedavg-k8-iid-homogeneous-s42}. */
  public String key() {
    return cell.id() + "-s" + seed;
  }

  /** The store key of the untrained baseline of {@code dataset} with {@code seed}. */
  public static String baselineKey(String dataset, long seed) {
    return dataset + "-baseline-s" + seed;
  }

  /**
   * The runs of {@code cells} with {@code seeds} that {@code store} has neither a result nor a
   * failure of, seeds outer and cells inner: the whole grid of one seed before the next seed.
   */
  public static List<CellRun> pending(
      List<ExperimentCell> cells, List<Long> seeds, ResultsStore store) {
    List<CellRun> runs = new ArrayList<>();
    for (long seed : seeds) {
      for (ExperimentCell cell : cells) {
        CellRun run = new CellRun(cell, seed);
        if (!store.has(run.key())) {
          runs.add(run);
        }
      }
    }
    return runs;
  }
}
