package dev.flotilla.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Regenerates the generated part of the convergence page: per split, the accuracy after the last
 * round and the rounds each configuration took to reach the centralised accuracy minus 2 points,
 * over the seeds that ran, with the untrained baseline and the centralised reference.
 */
final class ConvergenceReport {
  private final ResultsStore store;
  private final List<Long> seeds;
  private final int rounds;
  private final String setup;

  ConvergenceReport(ResultsStore store, List<Long> seeds, int rounds, String setup) {
    this.store = store;
    this.seeds = List.copyOf(seeds);
    this.rounds = rounds;
    this.setup = setup;
  }

  void write(Path page, String dataset, List<ConvergenceRun> runs) throws IOException {
    StringBuilder md = new StringBuilder(ResultsReport.BEGIN).append("\n\n### Setup\n\n");
    md.append(setup).append("\n\n");
    ConvergenceRun central = runs.get(0);
    List<Double> baseline = new ArrayList<>();
    List<Double> centralFinal = new ArrayList<>();
    for (long seed : seeds) {
      store
          .read(CellRun.baselineKey(dataset, seed))
          .ifPresent(r -> baseline.add(r.get(0).accuracy()));
      result(central, seed).ifPresent(r -> centralFinal.add(r.get(r.size() - 1).accuracy()));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "Untrained baseline: %s. Centralised (one client, same examples and epochs) after %d"
                + " rounds: %s; the target below is that seed's centralised accuracy − 0.02.%n%n",
            new Spread(baseline).format(),
            rounds,
            new Spread(centralFinal).format()));
    String split = null;
    for (ConvergenceRun run : runs.subList(1, runs.size())) {
      String here = run.cell().partition().label() + ", " + run.cell().clients() + " clients";
      if (!here.equals(split)) {
        md.append(split == null ? "" : "\n")
            .append("### ")
            .append(here)
            .append("\n\n| configuration | accuracy after round ")
            .append(rounds)
            .append(
                " | rounds to centralised − 2 points (per seed) | accuracy per round (mean) |\n")
            .append("|---|---|---|---|\n");
        split = here;
      }
      List<Double> finals = new ArrayList<>();
      List<String> reached = new ArrayList<>();
      double[] perRound = new double[rounds];
      int[] counts = new int[rounds];
      for (long seed : seeds) {
        Optional<List<CellRound>> result = result(run, seed);
        Optional<List<CellRound>> reference = result(central, seed);
        if (result.isEmpty()) {
          continue;
        }
        List<CellRound> r = result.get();
        finals.add(r.get(r.size() - 1).accuracy());
        for (CellRound round : r) {
          if (round.round() <= rounds) {
            perRound[round.round() - 1] += round.accuracy();
            counts[round.round() - 1]++;
          }
        }
        if (reference.isPresent()) {
          double target = reference.get().get(reference.get().size() - 1).accuracy() - 0.02;
          reached.add(
              r.stream()
                  // accuracies are multiples of 1/200: compare without rounding noise
                  .filter(x -> x.accuracy() >= target - 1e-9)
                  .map(x -> Integer.toString(x.round()))
                  .findFirst()
                  .orElse(">" + r.size()));
        }
      }
      StringBuilder curve = new StringBuilder();
      for (int i = 0; i < rounds; i++) {
        if (counts[i] > 0) {
          curve.append(curve.length() == 0 ? "" : " ");
          curve.append(String.format(Locale.ROOT, "%.3f", perRound[i] / counts[i]));
        }
      }
      md.append("| ")
          .append(run.label())
          .append(" | ")
          .append(new Spread(finals).format())
          .append(" | ")
          .append(reached.isEmpty() ? "—" : reached.stream().collect(Collectors.joining(", ")))
          .append(" | ")
          .append(curve)
          .append(" |\n");
    }
    md.append('\n').append(ResultsReport.END);
    String old = Files.isRegularFile(page) ? Files.readString(page) : "";
    int from = old.indexOf(ResultsReport.BEGIN);
    int to = old.indexOf(ResultsReport.END);
    String updated =
        from >= 0 && to > from
            ? old.substring(0, from) + md + old.substring(to + ResultsReport.END.length())
            : old + (old.isEmpty() ? "" : "\n") + md + "\n";
    Files.createDirectories(page.toAbsolutePath().getParent());
    Files.writeString(page, updated);
  }

  private Optional<List<CellRound>> result(ConvergenceRun run, long seed) throws IOException {
    return store.read(run.name() + "-s" + seed);
  }
}
