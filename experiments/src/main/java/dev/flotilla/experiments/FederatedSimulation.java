package dev.flotilla.experiments;

import dev.flotilla.aggregator.BadInputException;
import dev.flotilla.aggregator.HeldOutEvaluator;
import dev.flotilla.aggregator.QuorumNotMetException;
import dev.flotilla.aggregator.RoundAggregation;
import dev.flotilla.aggregator.UploadChecks;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.PeftAdapterReader;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.core.aggregation.DenseKernels;
import dev.flotilla.core.aggregation.ServerOptimizerConfig;
import dev.flotilla.core.aggregation.Weighting;
import dev.flotilla.core.storage.ClientMetrics;
import dev.flotilla.core.storage.InMemoryObjectStore;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.RoundManifest;
import dev.flotilla.core.storage.RoundPlan;
import dev.flotilla.core.storage.RoundPlan.PlannedClient;
import dev.flotilla.core.storage.RoundStore;
import dev.flotilla.core.storage.StorageLayout;
import dev.flotilla.model.AdapterPublisher;
import dev.flotilla.model.BaseModel;
import dev.flotilla.model.FileTrees;
import dev.flotilla.model.ModelWorkspace;
import dev.flotilla.model.data.EncodedExample;
import dev.flotilla.model.data.Example;
import dev.flotilla.model.data.ExampleEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Runs one experiment cell inside this JVM through the real programs' round path: each client's
 * round is the trainer's model and training loop ({@link LocalTraining}), uploaded like a trainer
 * uploads (adapter, then {@code metrics.json}) into an in-memory object store in the federation
 * layout; the aggregator's {@link RoundAggregation} screens the uploads, merges them, scores the
 * global adapter with its {@link HeldOutEvaluator} and commits the round; clients of rank r start
 * the next round from the committed rank-r adapter, read back from the store.
 */
public final class FederatedSimulation {
  /** The bucket of the in-memory store (a name only: nothing leaves the JVM). */
  private static final String BUCKET = "experiments";

  /** The aggregator's default {@code --norm-outlier-factor}. */
  private static final double OUTLIER_FACTOR = 10;

  private final ExperimentSettings settings;
  private final BaseModel base;
  private final Path scratch;
  private final Consumer<String> log;

  /**
   * A simulation on {@code base} staging files under {@code scratch} and reporting each round to
   * {@code log}.
   */
  public FederatedSimulation(
      ExperimentSettings settings, BaseModel base, Path scratch, Consumer<String> log) {
    this.settings = settings;
    this.base = base;
    this.scratch = scratch;
    this.log = log;
  }

  /**
   * Runs all rounds of {@code cell} on {@code data}; returns one result per round.
   *
   * @throws IllegalArgumentException when a round cannot be aggregated (e.g. FedAvg over unequal
   *     ranks) or no upload passes the screen
   */
  public List<CellRound> run(ExperimentCell cell, ExperimentDataset data) throws IOException {
    return run(cell, data, ServerOptimizerConfig.NONE, cell.id());
  }

  /**
   * Runs all rounds of {@code cell} on {@code data} with server optimizer {@code optimizer} as the
   * federation {@code name}; returns one result per round.
   *
   * @throws IllegalArgumentException when a round cannot be aggregated or no upload passes
   */
  public List<CellRound> run(
      ExperimentCell cell, ExperimentDataset data, ServerOptimizerConfig optimizer, String name)
      throws IOException {
    List<LabelledText> train =
        ClientSplitter.sample(data.pool(), settings.trainExamples(), settings.seed());
    List<List<LabelledText>> shards =
        ClientSplitter.split(train, cell.clients(), cell.partition(), settings.seed());
    List<Integer> ranks = new ArrayList<>(cell.ranks().ranks(cell.clients()));
    Collections.shuffle(ranks, new Random(settings.seed() + 1));
    List<List<EncodedExample>> encoded = new ArrayList<>();
    try (ExampleEncoder encoder = base.encoder(TaskType.SEQ_CLS, settings.maxSeqLength())) {
      for (List<LabelledText> shard : shards) {
        encoded.add(
            encoder.encodeAll(
                shard.stream().map(e -> Example.classification(e.text(), e.label())).toList()));
      }
    }
    HeldOutEvaluator evaluator =
        new HeldOutEvaluator(
            base, List.of(data.testFile()), 2, settings.maxSeqLength(), 2 * settings.batchSize());
    LocalTraining trainer = new LocalTraining(settings, base);
    String key = name + "-s" + settings.seed();
    ObjectStore store = new InMemoryObjectStore();
    StorageLayout layout = new StorageLayout(BUCKET, "", key);
    Path work = Files.createTempDirectory(Files.createDirectories(scratch), "cell-");
    ModelWorkspace workspace = new ModelWorkspace(bucket -> store, settings.cacheDir(), work);
    AdapterPublisher publisher = new AdapterPublisher(store, work);
    RoundStore rounds = new RoundStore(store, layout);
    List<CellRound> results = new ArrayList<>();
    try {
      for (int round = 1; round <= settings.rounds(); round++) {
        long started = System.nanoTime();
        List<PlannedClient> planned = new ArrayList<>();
        for (int c = 0; c < cell.clients(); c++) {
          int rank = ranks.get(c);
          planned.add(
              new PlannedClient(
                  clientId(c),
                  "experiment",
                  rank,
                  data.name(),
                  layout.startingAdapterPrefix(round - 1, rank).orElse(null)));
        }
        rounds.writePlan(
            new RoundPlan(
                RoundPlan.SCHEMA_VERSION,
                key,
                round,
                1,
                round - 1,
                cell.ranks().globalRank(),
                planned));
        Map<Integer, LoraAdapter> starts = startingAdapters(workspace, layout, planned, work);
        if (round > 2) {
          // Read back: only the round in progress and its base (the server's previous point and
          // optimizer state) stay in memory.
          for (String object : store.list(layout.roundPrefix(round - 2))) {
            store.delete(object);
          }
        }
        long steps = 0;
        for (int c = 0; c < cell.clients(); c++) {
          int rank = ranks.get(c);
          steps +=
              trainAndUpload(
                  trainer,
                  publisher,
                  layout,
                  clientId(c),
                  round,
                  rank,
                  encoded.get(c),
                  starts.get(rank));
        }
        RoundManifest manifest =
            aggregate(store, rounds, work, evaluator, cell, ranks, round, optimizer);
        for (RoundManifest.RejectedClient rejected : manifest.rejected()) {
          log.accept(
              key
                  + " round "
                  + round
                  + ": "
                  + rejected.clientId()
                  + " rejected: "
                  + rejected.reason());
        }
        CellRound r =
            new CellRound(
                round,
                manifest.evalMetrics().get("accuracy"),
                manifest.evalMetrics().get("loss"),
                manifest.meanTrainLoss(),
                steps,
                (System.nanoTime() - started) / 1e9);
        results.add(r);
        log.accept(
            String.format(
                Locale.ROOT,
                "%s round %d: accuracy %.4f, eval loss %.4f, train loss %.4f, %d steps, %.1f s",
                key,
                round,
                r.accuracy(),
                r.evalLoss(),
                r.trainLoss(),
                r.steps(),
                r.seconds()));
      }
    } finally {
      FileTrees.deleteRecursively(work);
    }
    return results;
  }

  /**
   * One client's round as a trainer runs it: trains from {@code start} (null: fresh), uploads the
   * adapter and then {@code metrics.json}; returns the optimizer steps taken.
   */
  private static long trainAndUpload(
      LocalTraining trainer,
      AdapterPublisher publisher,
      StorageLayout layout,
      String clientId,
      int round,
      int rank,
      List<EncodedExample> examples,
      LoraAdapter start)
      throws IOException {
    long started = System.nanoTime();
    LocalTraining.Update update = trainer.train(clientId, round, rank, examples, start);
    long peakMemoryNotMeasured = 0;
    publisher.publishClient(
        layout,
        update.adapter(),
        new ClientMetrics(
            ClientMetrics.SCHEMA_VERSION,
            clientId,
            round,
            1,
            rank,
            update.numSamples(),
            update.steps(),
            update.trainLoss(),
            Map.of(),
            (System.nanoTime() - started) / 1e9,
            peakMemoryNotMeasured,
            null,
            null));
    return update.steps();
  }

  private static String clientId(int c) {
    return String.format(Locale.ROOT, "c%02d", c);
  }

  /** The aggregator's run of {@code round} over the whole plan; returns its manifest. */
  private RoundManifest aggregate(
      ObjectStore store,
      RoundStore rounds,
      Path work,
      HeldOutEvaluator evaluator,
      ExperimentCell cell,
      List<Integer> ranks,
      int round,
      ServerOptimizerConfig optimizer)
      throws IOException {
    RoundAggregation.Settings aggregation =
        new RoundAggregation.Settings(
            round,
            1,
            Set.of(),
            cell.strategy(),
            cell.ranks().globalRank(),
            Weighting.SAMPLES,
            settings.alpha(),
            new TreeSet<>(ranks),
            1,
            OUTLIER_FACTOR,
            0,
            settings.seed(),
            round - 1,
            optimizer);
    try {
      new RoundAggregation(
              store,
              rounds.layout(),
              work,
              Optional.of(evaluator),
              aggregation,
              new UploadChecks(1, settings.alpha(), TaskType.SEQ_CLS, null),
              DenseKernels.auto())
          .run();
    } catch (BadInputException | QuorumNotMetException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return rounds.readManifest(round).orElseThrow();
  }

  /**
   * The starting adapter of each rank of {@code planned} (none in a round from fresh adapters),
   * downloaded from the plan's prefixes as a trainer downloads it.
   */
  private static Map<Integer, LoraAdapter> startingAdapters(
      ModelWorkspace workspace, StorageLayout layout, List<PlannedClient> planned, Path work)
      throws IOException {
    Map<Integer, LoraAdapter> starts = new TreeMap<>();
    for (PlannedClient client : planned) {
      String prefix = client.startingAdapterPrefix();
      if (prefix == null || starts.containsKey(client.rank())) {
        continue;
      }
      Path dir = work.resolve("start-adapter-" + client.rank());
      if (!workspace.adapter(
          layout.bucket(),
          prefix,
          dir,
          StorageLayout.ADAPTER_MODEL,
          StorageLayout.ADAPTER_CONFIG)) {
        throw new IllegalStateException("no committed adapter at " + prefix);
      }
      starts.put(client.rank(), PeftAdapterReader.read(dir));
    }
    return starts;
  }
}
