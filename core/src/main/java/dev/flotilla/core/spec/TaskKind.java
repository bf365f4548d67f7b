package dev.flotilla.core.spec;

/** The task a federation fine-tunes its adapter for. */
public enum TaskKind {
  /** Sequence classification with a trained classification head of {@code numLabels} classes. */
  SEQUENCE_CLASSIFICATION,
  /** Causal language modelling (next-token prediction). */
  CAUSAL_LM
}
