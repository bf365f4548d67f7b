package dev.flotilla.aggregator;

import dev.flotilla.core.adapter.LoraAdapter;
import java.io.IOException;
import java.util.Map;

/** Scores a global adapter on a held-out set (e.g. {@code accuracy}, {@code loss}). */
public interface Evaluator {
  /** The metrics of {@code adapter} applied to the base model. */
  Map<String, Double> evaluate(LoraAdapter adapter) throws IOException;
}
