package dev.flotilla.core.protocol;

import dev.flotilla.core.spec.FederationStatus;
import java.util.Objects;

/**
 * Applies a {@link Decision} in the one order every runtime uses: the new status is persisted FIRST
 * (a conflict stops the decision before anything acts on stale intent), then the actions run in
 * order through an {@link ActionHandler} until one asks to stop. The operator, the local runtime
 * and the crash simulator all apply decisions here, so the order the crash tests cover is the order
 * that runs.
 */
public final class DecisionApplier {

  /** Persists a Federation's status. */
  public interface StatusStore<X extends Exception> {
    /** Writes {@code status}; false when someone else changed the Federation (a conflict). */
    boolean persist(FederationStatus status) throws X;
  }

  /** How far a decision got. */
  public enum Progress {
    /** The status (if changed) is persisted and every action ran. */
    APPLIED,
    /** The status is persisted; an action asked to stop, the rest did not run. */
    STOPPED,
    /** The status write conflicted: nothing ran; observe and decide again. */
    CONFLICT
  }

  /**
   * What applying one decision did.
   *
   * @param progress how far it got
   * @param statusWritten whether a new status was persisted
   */
  public record Applied(Progress progress, boolean statusWritten) {}

  private DecisionApplier() {}

  /**
   * Applies {@code decision}, taken on a Federation whose persisted status is {@code observed}.
   *
   * @param observed the status the decision was taken on (null: none)
   * @param decision the decision
   * @param status where the status is persisted
   * @param actions what carries out the actions
   */
  public static <X extends Exception> Applied apply(
      FederationStatus observed, Decision decision, StatusStore<X> status, ActionHandler<X> actions)
      throws X {
    boolean written = false;
    if (!Objects.equals(observed, decision.status())) {
      if (!status.persist(decision.status())) {
        return new Applied(Progress.CONFLICT, false);
      }
      written = true;
    }
    Progress progress = Progress.APPLIED;
    for (Action action : decision.actions()) {
      if (!action.accept(actions)) {
        progress = Progress.STOPPED;
        break;
      }
    }
    if (!actions.finish()) {
      progress = Progress.STOPPED;
    }
    return new Applied(progress, written);
  }
}
