package dev.flotilla.model.nn;

/**
 * Hyper-parameters of a BERT-family encoder, read from a Hugging Face config.json.
 *
 * @param family BERT or DISTILBERT (decides parameter names and head)
 * @param vocabSize vocabulary size
 * @param hidden hidden size
 * @param layers number of encoder layers
 * @param heads attention heads
 * @param intermediate feed-forward size
 * @param maxPositions position-embedding table size
 * @param typeVocabSize token-type table size (0 for DistilBERT)
 * @param layerNormEps LayerNorm epsilon
 * @param hiddenDropout dropout on embeddings and sub-layer outputs
 * @param attentionDropout dropout on attention probabilities
 * @param classifierDropout dropout before the classifier
 */
public record EncoderConfig(
    ModelFamily family,
    int vocabSize,
    int hidden,
    int layers,
    int heads,
    int intermediate,
    int maxPositions,
    int typeVocabSize,
    double layerNormEps,
    double hiddenDropout,
    double attentionDropout,
    double classifierDropout) {

  /** Size of one attention head. */
  public int headDim() {
    return hidden / heads;
  }
}
