package dev.flotilla.core.spec;

/** Kubernetes condition status values. */
public enum ConditionStatus {
  /** The condition holds. */
  True,
  /** The condition does not hold. */
  False,
  /** Not known yet. */
  Unknown
}
