package dev.flotilla.core.spec;

/** How a finished round ended. */
public enum RoundOutcome {
  /** Its manifest was written: the round's global adapter is the new starting point. */
  Committed,
  /** It missed its quorum on every attempt and was abandoned. */
  Failed
}
