package dev.flotilla.experiments;

import dev.flotilla.aggregator.HeldOutEvaluator;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.model.BaseModel;
import dev.flotilla.model.ModelWorkspace;
import dev.flotilla.model.eval.UntrainedBaseline;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flotilla experiments}: runs the experiment grid once per seed (resumable: runs of a cell
 * with a seed whose CSV exists are skipped; the settings are recorded and a resumed run must match
 * them), then regenerates the tables and plots of the results page.
 */
@Command(
    name = "experiments",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the federated LoRA experiment grid in this JVM with the trainer, aggregation and",
      "evaluation code of the real programs, writes one CSV per cell, and regenerates the",
      "generated part of the results page (tables, PNG plots)."
    })
public final class ExperimentMain implements Callable<Integer> {
  private static final Path CACHE = ModelWorkspace.cacheDir(null);

  @Option(names = "--data", description = "Prepared data (scripts/fetch-experiment-data.sh).")
  Path data = CACHE.resolve("data/experiments");

  @Option(names = "--model", description = "Base model directory (Hugging Face layout).")
  Path model = CACHE.resolve("models/all-minilm-l6-v2");

  @Option(names = "--model-name", description = "Model name shown in the report.")
  String modelName = "all-MiniLM-L6-v2";

  @Option(names = "--results", description = "Directory of the per-cell CSVs and the plots.")
  Path results = Path.of("docs/results");

  @Option(names = "--report", description = "Results page whose generated part is rewritten.")
  Path report = Path.of("docs/results.md");

  @Option(
      names = "--work",
      description = "Scratch directory (the held-out subsets, the cells' adapter files).")
  Path work = Path.of(System.getProperty("java.io.tmpdir"), "flotilla-experiments");

  @Option(names = "--test-examples", description = "Held-out examples per data set (default 200).")
  int testExamples = 200;

  @Option(
      names = "--grid",
      description =
          "full, clients (the client sweep alone: FedAvg, IID, 1-32 clients) or smoke (2 small"
              + " cells).")
  String grid = "full";

  @Option(
      names = "--cells",
      split = ",",
      description =
          "Only these cells of the grid, by id (e.g. sentiment-fedavg-k8-label_skew-homogeneous;"
              + " the ids are the CSV names without the seed).")
  List<String> only = List.of();

  @Option(names = "--datasets", split = ",", description = "Data sets (default sentiment,spam).")
  List<String> datasets = List.of("sentiment", "spam");

  @Option(names = "--rounds", description = "Rounds per cell (default 4).")
  int rounds = 4;

  @Option(names = "--train-examples", description = "Training examples per cell (default 384).")
  int trainExamples = 384;

  @Option(names = "--batch-size", description = "Local batch size (default 16).")
  int batchSize = 16;

  @Option(names = "--learning-rate", description = "Local learning rate (default 3e-3).")
  double learningRate = 3e-3;

  @Option(names = "--max-seq-length", description = "Token truncation (default 32).")
  int maxSeqLength = 32;

  @Option(names = "--threads", description = "PyTorch threads (default 2).")
  int threads = 2;

  @Option(names = "--local-epochs", description = "Local epochs per client and round (default 2).")
  int localEpochs = 2;

  @Option(
      names = {"--seeds", "--seed"},
      split = ",",
      description =
          "Seeds, comma-separated (default 42,43,44): every cell runs once per seed, the whole"
              + " grid of one seed before the next. Seeds may be added to a recorded run.")
  List<Long> seeds = List.of(42L, 43L, 44L);

  @Option(
      names = "--stop-after-minutes",
      description = "Start no new cell after this many minutes (0: no limit).")
  long stopAfterMinutes = 0;

  @Option(
      names = "--report-only",
      description =
          "Run no cell; only regenerate the report from the stored CSVs and the recorded"
              + " settings (the options that change a number are ignored).")
  boolean reportOnly;

  @Option(names = "--command", description = "The command line recorded in the report.")
  String command = "scripts/run-experiments.sh";

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ExperimentMain()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    ModelWorkspace.configureEngine(threads, CACHE);
    ExperimentSettings settings =
        new ExperimentSettings(
            model,
            CACHE,
            rounds,
            trainExamples,
            batchSize,
            maxSeqLength,
            learningRate,
            16,
            0.05,
            List.of("query", "value"),
            localEpochs,
            threads,
            seeds.get(0));
    List<ExperimentCell> gridCells = new ArrayList<>();
    if (grid.equals("full")) {
      gridCells.addAll(ExperimentGrid.full(datasets));
    } else if (grid.equals("clients")) {
      gridCells.addAll(ExperimentGrid.clients(datasets));
    } else if (grid.equals("smoke")) {
      datasets.forEach(d -> gridCells.addAll(ExperimentGrid.smoke(d)));
    } else {
      System.err.println(
          "flotilla experiments: --grid must be full, clients or smoke, got " + grid);
      return 2;
    }
    List<ExperimentCell> cells;
    try {
      cells = only.isEmpty() ? gridCells : ExperimentGrid.select(gridCells, only);
    } catch (IllegalArgumentException e) {
      System.err.println("flotilla experiments: --cells: " + e.getMessage());
      return 2;
    }
    ResultsStore store = new ResultsStore(results.resolve("raw"));
    RecordedSettings requested = RecordedSettings.of(settings, modelName, testExamples, seeds);
    RecordedSettings recorded;
    if (reportOnly) {
      recorded = store.settings().orElse(requested);
    } else {
      try {
        recorded = store.record(requested);
      } catch (SettingsMismatchException e) {
        System.err.println("flotilla experiments: " + e.getMessage());
        return 2;
      }
      runPending(settings, CellRun.pending(cells, requested.seeds(), store), store);
    }
    new ResultsReport(store, results, recorded, command).write(report, cells, datasets);
    log("report " + report + " regenerated");
    return 0;
  }

  private void runPending(ExperimentSettings settings, List<CellRun> pending, ResultsStore store)
      throws IOException {
    Map<String, ExperimentDataset> loaded = new LinkedHashMap<>();
    for (String d : datasets) {
      loaded.put(d, ExperimentDataset.load(data, d, testExamples, work));
    }
    BaseModel base = BaseModel.local(settings.modelDir());
    Instant started = Instant.now();
    for (int i = 0; i < pending.size(); i++) {
      if (stopAfterMinutes > 0
          && Duration.between(started, Instant.now()).toMinutes() >= stopAfterMinutes) {
        log(
            (pending.size() - i)
                + " cell runs not started (time limit); rerun the command to complete them");
        return;
      }
      CellRun run = pending.get(i);
      ExperimentSettings seeded = settings.withSeed(run.seed());
      ExperimentDataset dataset = loaded.get(run.cell().dataset());
      String baselineKey = CellRun.baselineKey(dataset.name(), run.seed());
      if (store.read(baselineKey).isEmpty()) {
        store.write(baselineKey, List.of(baseline(seeded, base, dataset)));
      }
      log("cell " + run.key());
      try {
        List<CellRound> result =
            new FederatedSimulation(seeded, base, work, ExperimentMain::log)
                .run(run.cell(), dataset);
        store.write(run.key(), result);
        log(
            String.format(
                Locale.ROOT,
                "cell %s done: %.1f s",
                run.key(),
                result.stream().mapToDouble(CellRound::seconds).sum()));
      } catch (ArithmeticException | IllegalArgumentException e) {
        log("cell " + run.key() + " failed: " + e);
        store.writeFailure(run.key(), e.toString());
      }
    }
  }

  /** The untrained starting point's held-out accuracy and loss (round 0). */
  static CellRound baseline(
      ExperimentSettings settings, BaseModel base, ExperimentDataset dataset) {
    long begin = System.nanoTime();
    HeldOutEvaluator evaluator =
        new HeldOutEvaluator(
            base,
            List.of(dataset.testFile()),
            2,
            settings.maxSeqLength(),
            2 * settings.batchSize());
    Map<String, Double> eval =
        evaluator.evaluate(
            UntrainedBaseline.adapter(
                base,
                TaskType.SEQ_CLS,
                2,
                RankProfile.HOMOGENEOUS.globalRank(),
                settings.alpha(),
                settings.targetModules(),
                settings.seed()));
    CellRound round =
        new CellRound(
            0,
            eval.get("accuracy"),
            eval.get("loss"),
            Double.NaN,
            0,
            (System.nanoTime() - begin) / 1e9);
    log(
        String.format(
            Locale.ROOT,
            "%s untrained baseline (seed %d): accuracy %.4f",
            dataset.name(),
            settings.seed(),
            round.accuracy()));
    return round;
  }

  static void log(String message) {
    System.out.println(Instant.now().toString().substring(11, 19) + " " + message);
  }
}
