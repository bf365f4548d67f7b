package dev.flotilla.core.aggregation;

import dev.flotilla.core.adapter.LoraAdapter;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of aggregating one round.
 *
 * @param global the global adapter at the configured global rank
 * @param byClientRank the adapter to send to clients of each configured rank
 * @param modules per-module diagnostics, keyed by module name
 * @param weights the normalised client weights p_c, keyed by client id (sum to 1)
 * @param state the server optimizer's state after this round ({@link OptimizerState#EMPTY}: none)
 */
public record AggregationResult(
    LoraAdapter global,
    Map<Integer, LoraAdapter> byClientRank,
    Map<String, ModuleDiagnostics> modules,
    Map<String, Double> weights,
    OptimizerState state) {

  /** Copies the maps into key-ordered, unmodifiable views. */
  public AggregationResult {
    byClientRank = Collections.unmodifiableMap(new TreeMap<>(byClientRank));
    modules = Collections.unmodifiableMap(new TreeMap<>(modules));
    weights = Collections.unmodifiableMap(new TreeMap<>(weights));
  }

  /** A result without server optimizer state. */
  public AggregationResult(
      LoraAdapter global,
      Map<Integer, LoraAdapter> byClientRank,
      Map<String, ModuleDiagnostics> modules,
      Map<String, Double> weights) {
    this(global, byClientRank, modules, weights, OptimizerState.EMPTY);
  }
}
