package dev.flotilla.model.nn;

/** The architectures the trainer implements, chosen from {@code model_type} in config.json. */
public enum ModelFamily {
  /** BERT and BERT-style encoders (MiniLM, bge): post-LN, GELU, pooler + classifier head. */
  BERT,
  /** DistilBERT: BERT without token types and pooler, {@code pre_classifier} + classifier head. */
  DISTILBERT,
  /**
   * Llama-style decoders (Llama, Mistral, Qwen2): RMSNorm, RoPE, SwiGLU, grouped-query attention.
   */
  LLAMA;

  /** The family for a Hugging Face {@code model_type}, or {@code null} when unsupported. */
  static ModelFamily fromModelType(String modelType) {
    return switch (modelType) {
      case "bert" -> BERT;
      case "distilbert" -> DISTILBERT;
      case "llama", "mistral", "qwen2" -> LLAMA;
      default -> null;
    };
  }
}
