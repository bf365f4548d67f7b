package dev.flotilla.core.spec;

/** Architecture family of a base model, which decides how its weights are loaded. */
public enum ModelArchitecture {
  /** Read the family from the model's {@code config.json} ({@code model_type}). */
  AUTO,
  /** BERT-style encoder (BERT, MiniLM, BGE): LoRA targets {@code query}, {@code value}. */
  BERT,
  /** Llama-style decoder: LoRA targets {@code q_proj}, {@code v_proj}. */
  LLAMA
}
