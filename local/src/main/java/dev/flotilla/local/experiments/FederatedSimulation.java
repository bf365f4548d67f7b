package dev.flotilla.local.experiments;

import dev.flotilla.aggregator.HeldOutEvaluator;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.core.aggregation.AggregationConfig;
import dev.flotilla.core.aggregation.AggregationResult;
import dev.flotilla.core.aggregation.AggregationStrategy;
import dev.flotilla.core.aggregation.ClientUpdate;
import dev.flotilla.core.aggregation.Weighting;
import dev.flotilla.model.BaseModel;
import dev.flotilla.model.data.EncodedExample;
import dev.flotilla.model.data.Example;
import dev.flotilla.model.data.ExampleEncoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Runs one experiment cell inside this JVM with the real programs' classes: each client's round is
 * the trainer's model and training loop ({@link LocalTraining}), the merge is core's aggregation
 * strategy, the global adapter is scored by the aggregator's {@link HeldOutEvaluator}, and the
 * redistributed per-rank adapters are the next round's starting adapters (kept in memory instead of
 * object storage).
 */
public final class FederatedSimulation {
  private final ExperimentSettings settings;
  private final BaseModel base;
  private final Consumer<String> log;

  /** A simulation on {@code base} reporting each round to {@code log}. */
  public FederatedSimulation(ExperimentSettings settings, BaseModel base, Consumer<String> log) {
    this.settings = settings;
    this.base = base;
    this.log = log;
  }

  /** Runs all rounds of {@code cell} on {@code data}; returns one result per round. */
  public List<CellRound> run(ExperimentCell cell, ExperimentDataset data) throws IOException {
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
    Map<Integer, LoraAdapter> starts = new TreeMap<>();
    List<CellRound> results = new ArrayList<>();
    for (int round = 1; round <= settings.rounds(); round++) {
      long started = System.nanoTime();
      List<ClientUpdate> updates = new ArrayList<>();
      double lossSum = 0;
      long steps = 0;
      for (int c = 0; c < cell.clients(); c++) {
        String id = String.format(Locale.ROOT, "c%02d", c);
        LocalTraining.Update update =
            trainer.train(id, round, ranks.get(c), encoded.get(c), starts.get(ranks.get(c)));
        updates.add(new ClientUpdate(id, update.numSamples(), update.adapter()));
        lossSum += update.trainLoss() * update.numSamples();
        steps += update.steps();
      }
      AggregationConfig config =
          new AggregationConfig(
              cell.strategy(),
              cell.ranks().globalRank(),
              Weighting.SAMPLES,
              settings.alpha(),
              new TreeSet<>(ranks));
      AggregationResult result =
          AggregationStrategy.forType(cell.strategy()).aggregate(updates, config);
      starts.putAll(result.byClientRank());
      Map<String, Double> eval = evaluator.evaluate(result.global());
      long samples = updates.stream().mapToLong(ClientUpdate::numSamples).sum();
      CellRound r =
          new CellRound(
              round,
              eval.get("accuracy"),
              eval.get("loss"),
              lossSum / samples,
              steps,
              (System.nanoTime() - started) / 1e9);
      results.add(r);
      log.accept(
          String.format(
              Locale.ROOT,
              "%s round %d: accuracy %.4f, eval loss %.4f, train loss %.4f, %d steps, %.1f s",
              new CellRun(cell, settings.seed()).key(),
              round,
              r.accuracy(),
              r.evalLoss(),
              r.trainLoss(),
              r.steps(),
              r.seconds()));
    }
    return results;
  }
}
