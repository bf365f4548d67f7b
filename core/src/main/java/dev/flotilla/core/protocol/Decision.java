package dev.flotilla.core.protocol;

import dev.flotilla.core.spec.FederationStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The protocol's answer to one observation.
 *
 * <p>Contract for callers, implemented once by {@link DecisionApplier}: persist {@code status} if
 * it differs from the observed one, then execute {@code actions} in order (each is idempotent),
 * then call again after {@code requeueAfter} (or on the next event). A decision that records new
 * intent (a new round, attempt or phase) never creates workloads: creation happens in a later
 * decision whose input status already carries that intent, so every workload that exists
 * corresponds to persisted intent. When the status write fails (a conflict), nothing runs: observe
 * again and decide again. A crash between the status write and the actions loses only actions,
 * which the next decision, taken on the saved status, decides again.
 *
 * @param status the new status (a fresh object, never the observed one)
 * @param actions what to do, in order
 * @param requeueAfter when to decide again at the latest; {@link Duration#ZERO}: right after the
 *     status is persisted; empty: only on the next event
 */
public record Decision(
    FederationStatus status, List<Action> actions, Optional<Duration> requeueAfter) {

  /** Copies the action list. */
  public Decision {
    actions = List.copyOf(actions);
  }

  /** The actions of one type, in order. */
  public <T extends Action> List<T> actionsOf(Class<T> type) {
    return actions.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
