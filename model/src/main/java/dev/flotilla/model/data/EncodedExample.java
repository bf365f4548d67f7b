package dev.flotilla.model.data;

/**
 * A tokenized example.
 *
 * @param ids token ids (special tokens included)
 * @param typeIds segment ids
 * @param label class id (classification) or -1
 * @param scored for causal LM, 1 where the token belongs to the response (its prediction is
 *     scored); null for classification
 */
public record EncodedExample(long[] ids, long[] typeIds, int label, float[] scored) {}
