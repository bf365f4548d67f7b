package dev.flotilla.core.spec;

/** How each client's adapter is weighted in the merge. */
public enum Weighting {
  /** Proportional to the client's number of training examples. */
  SAMPLES,
  /** Every accepted client weighs the same. */
  UNIFORM
}
