package dev.flotilla.model.nn;

/**
 * Hugging Face parameter names of a BERT-family encoder, relative to the model prefix ({@code
 * bert.} or {@code distilbert.}).
 */
record EncoderNaming(
    String prefix,
    String wordEmbeddings,
    String positionEmbeddings,
    String tokenTypeEmbeddings,
    String embeddingsNorm,
    String layer,
    String query,
    String key,
    String value,
    String attentionOutput,
    String attentionNorm,
    String ffnIn,
    String ffnOut,
    String outputNorm) {

  static final EncoderNaming BERT =
      new EncoderNaming(
          "bert.",
          "embeddings.word_embeddings",
          "embeddings.position_embeddings",
          "embeddings.token_type_embeddings",
          "embeddings.LayerNorm",
          "encoder.layer.",
          "attention.self.query",
          "attention.self.key",
          "attention.self.value",
          "attention.output.dense",
          "attention.output.LayerNorm",
          "intermediate.dense",
          "output.dense",
          "output.LayerNorm");

  static final EncoderNaming DISTILBERT =
      new EncoderNaming(
          "distilbert.",
          "embeddings.word_embeddings",
          "embeddings.position_embeddings",
          null,
          "embeddings.LayerNorm",
          "transformer.layer.",
          "attention.q_lin",
          "attention.k_lin",
          "attention.v_lin",
          "attention.out_lin",
          "sa_layer_norm",
          "ffn.lin1",
          "ffn.lin2",
          "output_layer_norm");

  static EncoderNaming of(ModelFamily family) {
    return family == ModelFamily.DISTILBERT ? DISTILBERT : BERT;
  }
}
