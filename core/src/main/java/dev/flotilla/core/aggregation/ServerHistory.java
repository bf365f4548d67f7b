package dev.flotilla.core.aggregation;

import dev.flotilla.core.adapter.LoraAdapter;
import java.util.Objects;
import java.util.Optional;

/**
 * What a server optimizer carries into a round: the previous global point x (the base round's
 * widest committed adapter: every output rank is a prefix of it) and the optimizer state the base
 * round stored.
 *
 * @param previous the base round's widest adapter; empty in a round from fresh adapters, where no
 *     step is taken (the clients initialised their own adapters)
 * @param state the optimizer state the base round stored ({@link OptimizerState#EMPTY}: none)
 */
public record ServerHistory(Optional<LoraAdapter> previous, OptimizerState state) {
  /** No history: the first round. */
  public static final ServerHistory NONE =
      new ServerHistory(Optional.empty(), OptimizerState.EMPTY);

  /** Checks the fields. */
  public ServerHistory {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(state, "state");
  }
}
