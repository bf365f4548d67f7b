package dev.flotilla.model.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.flotilla.model.data.BatchBuilder;
import dev.flotilla.model.data.EncodedExample;
import dev.flotilla.model.nn.DropoutMasks;
import dev.flotilla.model.nn.ModelBatch;
import dev.flotilla.model.nn.ModelOutput;
import dev.flotilla.model.nn.TrainableModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * The local training loop: seeded shuffling each epoch, AdamW with linear warm-up/decay, an
 * optional FedProx proximal term ({@link ProximalTerm}), global gradient clipping, explicit
 * gradient zeroing. Every step runs in its own {@link NDScope} so intermediate arrays are freed as
 * soon as the step ends.
 */
public final class Trainer {
  private final TrainingSettings settings;

  /** A trainer with the given settings. */
  public Trainer(TrainingSettings settings) {
    this.settings = settings;
  }

  /** Trains {@code model} on {@code examples}; {@code onStep} sees each completed step number. */
  public TrainResult train(
      TrainableModel model, List<EncodedExample> examples, NDManager manager, IntConsumer onStep) {
    Engine.getInstance().setRandomSeed((int) settings.seed());
    DropoutMasks.seed(settings.seed());
    Map<String, NDArray> params = model.trainableParameters();
    int total = settings.totalSteps(examples.size());
    LinearSchedule schedule =
        LinearSchedule.withWarmupRatio(settings.learningRate(), settings.warmupRatio(), total);
    Random random = new Random(settings.seed());
    List<Double> losses = new ArrayList<>(total);
    List<Double> norms = new ArrayList<>(total);
    long seen = 0;
    List<EncodedExample> order = new ArrayList<>(examples);
    int cursor = order.size();
    try (AdamW optimizer = new AdamW(params, settings.weightDecay());
        ProximalTerm proximal = new ProximalTerm(params, settings.proximalMu())) {
      for (int step = 0; step < total; step++) {
        if (cursor >= order.size()) {
          Collections.shuffle(order, random);
          cursor = 0;
        }
        List<EncodedExample> batchExamples =
            order.subList(cursor, Math.min(order.size(), cursor + settings.batchSize()));
        cursor += batchExamples.size();
        seen += batchExamples.size();
        try (NDScope scope = new NDScope();
            NDManager stepManager = manager.newSubManager()) {
          ModelBatch batch = BatchBuilder.build(stepManager, batchExamples);
          ModelOutput output;
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            output = model.forward(batch, true);
            collector.backward(output.loss());
          }
          losses.add((double) output.loss().getFloat());
          proximal.addGradient(params);
          norms.add(Gradients.clip(params, settings.maxGradNorm(), step + 1));
          optimizer.step(schedule.lr(step));
          Gradients.zero(params);
        }
        onStep.accept(step + 1);
      }
    }
    return new TrainResult(total, seen, losses, norms);
  }

  /** Evaluates without dropout or gradients. */
  public static EvalResult evaluate(
      TrainableModel model, List<EncodedExample> examples, NDManager manager, int batchSize) {
    double lossSum = 0;
    double weightSum = 0;
    long correct = 0;
    long scored = 0;
    for (int from = 0; from < examples.size(); from += batchSize) {
      List<EncodedExample> slice =
          examples.subList(from, Math.min(examples.size(), from + batchSize));
      try (NDScope scope = new NDScope();
          NDManager stepManager = manager.newSubManager();
          NoGrad ignored = new NoGrad()) {
        ModelOutput output = model.forward(BatchBuilder.build(stepManager, slice), false);
        lossSum += output.loss().getFloat() * (double) output.scored();
        weightSum += output.scored();
        correct += output.correct();
        scored += output.scored();
      }
    }
    return new EvalResult(
        examples.size(),
        weightSum == 0 ? 0 : lossSum / weightSum,
        scored == 0 ? 0 : (double) correct / scored);
  }
}
