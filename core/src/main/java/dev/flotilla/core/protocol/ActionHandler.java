package dev.flotilla.core.protocol;

/**
 * Carries out each type of {@link Action}; {@link DecisionApplier} dispatches to it. Each method
 * returns whether the decision's remaining actions should run (false: stop, and decide again).
 *
 * @param <X> the checked exception the handler's I/O may throw
 */
public interface ActionHandler<X extends Exception> {
  /** Writes the round plan. */
  boolean writePlan(Action.WritePlan action) throws X;

  /** Starts a trainer (nothing when it exists). */
  boolean createTrainer(Action.CreateTrainer action) throws X;

  /** Starts an aggregator (nothing when it exists). */
  boolean createAggregator(Action.CreateAggregator action) throws X;

  /** Deletes a workload (nothing when it is gone). */
  boolean deleteWorkload(Action.DeleteWorkload action) throws X;

  /** Reports an event. */
  boolean emitEvent(Action.EmitEvent action) throws X;

  /** Called once after the last action that ran (e.g. to flush batched work). */
  default boolean finish() throws X {
    return true;
  }
}
