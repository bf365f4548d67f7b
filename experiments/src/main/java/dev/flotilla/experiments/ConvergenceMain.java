package dev.flotilla.experiments;

import dev.flotilla.model.BaseModel;
import dev.flotilla.model.ModelWorkspace;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flotilla convergence}: the server optimizer study ({@link ConvergenceRun#study}) through
 * the aggregator's real round path, seed by seed (resumable: runs whose CSV exists are skipped),
 * then regenerates the generated part of the convergence page.
 */
@Command(
    name = "convergence",
    mixinStandardHelpOptions = true,
    description = {
      "Runs FedAvg and FlexLoRA with and without server optimizers on a domain split, a label",
      "skew and 32 IID clients, with the centralised reference and the untrained baseline."
    })
public final class ConvergenceMain implements Callable<Integer> {
  private static final Path CACHE = ModelWorkspace.cacheDir(null);

  @Option(names = "--data", description = "Prepared data (scripts/fetch-experiment-data.sh).")
  Path data = CACHE.resolve("data/experiments");

  @Option(names = "--model", description = "Base model directory (Hugging Face layout).")
  Path model = CACHE.resolve("models/all-minilm-l6-v2");

  @Option(names = "--results", description = "Directory of the per-run CSVs.")
  Path results = Path.of("docs/results/convergence");

  @Option(names = "--report", description = "Page whose generated part is rewritten.")
  Path report = Path.of("docs/results-convergence.md");

  @Option(names = "--work", description = "Scratch directory (held-out subsets, adapter files).")
  Path work = Path.of(System.getProperty("java.io.tmpdir"), "flotilla-convergence");

  @Option(names = "--dataset", description = "Data set (default sentiment: 3 review domains).")
  String dataset = "sentiment";

  @Option(names = "--rounds", description = "Rounds per run (default 8).")
  int rounds = 8;

  @Option(names = "--seeds", split = ",", description = "Seeds (default 42,43).")
  List<Long> seeds = List.of(42L, 43L);

  @Option(names = "--threads", description = "PyTorch threads (default 2).")
  int threads = 2;

  @Option(names = "--test-examples", description = "Held-out examples (default 200).")
  int testExamples = 200;

  @Option(
      names = "--stop-after-minutes",
      description = "Start no new run after this many minutes (0: no limit).")
  long stopAfterMinutes = 0;

  @Option(names = "--report-only", description = "Run nothing; regenerate the report.")
  boolean reportOnly;

  @Option(names = "--command", description = "The command line recorded in the report.")
  String command = "scripts/run-convergence.sh";

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ConvergenceMain()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    ModelWorkspace.configureEngine(threads, CACHE);
    ExperimentSettings settings =
        new ExperimentSettings(
            model,
            CACHE,
            rounds,
            384,
            16,
            32,
            3e-3,
            16,
            0.05,
            List.of("query", "value"),
            2,
            threads,
            seeds.get(0));
    List<ConvergenceRun> runs = ConvergenceRun.study(dataset);
    ResultsStore store = new ResultsStore(results);
    if (!reportOnly) {
      run(settings, runs, store);
    }
    String setup =
        String.format(
            Locale.ROOT,
            "Command: `%s`. Model all-MiniLM-L6-v2, LoRA rank 8 on query/value, alpha 16; %d"
                + " rounds; 384 training examples of %s divided among the clients, 2 local epochs"
                + " per round, batch 16, AdamW lr 3e-03 decaying linearly to 0 within each round,"
                + " max 32 tokens; held-out accuracy of the global adapter on %d examples, scored"
                + " by the aggregator's evaluator after each committed round; every round goes"
                + " through RoundAggregation (screening, merge, server optimizer, state in the"
                + " object store, manifest) as in a deployment. Seeds: %s. FedAvgM: η = 1, β ="
                + " 0.5 (for FlexLoRA in factored form, momentum rank budget 16); FedAdam: η ="
                + " 0.01, β₁ = 0.9, β₂ = 0.99, τ = 0.001. Cells: `—` not run.",
            command,
            rounds,
            dataset,
            testExamples,
            seeds);
    new ConvergenceReport(store, seeds, rounds, setup).write(report, dataset, runs);
    ExperimentMain.log("report " + report + " regenerated");
    return 0;
  }

  private void run(ExperimentSettings settings, List<ConvergenceRun> runs, ResultsStore store)
      throws IOException {
    ExperimentDataset loaded = ExperimentDataset.load(data, dataset, testExamples, work);
    BaseModel base = BaseModel.local(settings.modelDir());
    Instant started = Instant.now();
    for (long seed : seeds) {
      ExperimentSettings seeded = settings.withSeed(seed);
      String baselineKey = CellRun.baselineKey(dataset, seed);
      if (store.read(baselineKey).isEmpty()) {
        store.write(baselineKey, List.of(ExperimentMain.baseline(seeded, base, loaded)));
      }
      for (ConvergenceRun run : runs) {
        String key = run.name() + "-s" + seed;
        if (store.has(key)) {
          continue;
        }
        if (stopAfterMinutes > 0
            && Duration.between(started, Instant.now()).toMinutes() >= stopAfterMinutes) {
          ExperimentMain.log("time limit reached; rerun the command to continue");
          return;
        }
        ExperimentMain.log("run " + key);
        try {
          List<CellRound> result =
              new FederatedSimulation(seeded, base, work, ExperimentMain::log)
                  .run(run.cell(), loaded, run.config(), run.name());
          store.write(key, result);
        } catch (ArithmeticException | IllegalArgumentException e) {
          ExperimentMain.log("run " + key + " failed: " + e);
          store.writeFailure(key, e.toString());
        }
      }
    }
  }
}
