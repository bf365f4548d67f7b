package dev.flotilla.core.adapter;

/** The PEFT task type recorded in {@code adapter_config.json}. */
public enum TaskType {
  /** Sequence classification with a trained classification head. */
  SEQ_CLS,
  /** Causal language modelling (instruction tuning of decoders). */
  CAUSAL_LM
}
