package dev.flotilla.model.nn;

import ai.djl.ndarray.NDArray;

/**
 * A forward pass's results.
 *
 * @param loss the scalar mean loss (carries the autograd graph when training)
 * @param correct number of correct predictions (classes, or response tokens for causal LM)
 * @param scored number of scored predictions
 */
public record ModelOutput(NDArray loss, long correct, long scored) {}
