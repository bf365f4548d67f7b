package dev.flotilla.aggregator;

import dev.flotilla.core.adapter.LoraAdapter;
import java.io.IOException;
import java.util.Map;

/** Scores a global adapter on a held-out set (e.g. {@code accuracy}, {@code loss}). */
public interface Evaluator {
  /** The metrics of {@code adapter} applied to the base model. */
  Map<String, Double> evaluate(LoraAdapter adapter) throws IOException;

  /**
   * The metrics of the untrained starting point of a federation whose adapters look like {@code
   * like} (task, alpha, target modules): a fresh LoRA (B = 0) with the task head initialised from
   * {@code seed} exactly as the trainers initialise it in their first round.
   */
  Map<String, Double> evaluateUntrained(LoraAdapter like, long seed) throws IOException;
}
