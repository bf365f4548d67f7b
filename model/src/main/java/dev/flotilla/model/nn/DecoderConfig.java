package dev.flotilla.model.nn;

/**
 * Hyper-parameters of a Llama-family decoder, read from a Hugging Face config.json.
 *
 * @param vocabSize vocabulary size
 * @param hidden hidden size
 * @param layers number of decoder layers
 * @param heads query heads
 * @param kvHeads key/value heads (grouped-query attention when fewer than {@code heads})
 * @param headDim size of one head
 * @param intermediate SwiGLU inner size
 * @param rmsNormEps RMSNorm epsilon
 * @param ropeTheta rotary embedding base
 * @param attentionBias whether q/k/v projections have biases (Qwen2)
 * @param tieWordEmbeddings whether the LM head reuses the input embedding matrix
 */
public record DecoderConfig(
    int vocabSize,
    int hidden,
    int layers,
    int heads,
    int kvHeads,
    int headDim,
    int intermediate,
    double rmsNormEps,
    double ropeTheta,
    boolean attentionBias,
    boolean tieWordEmbeddings) {}
