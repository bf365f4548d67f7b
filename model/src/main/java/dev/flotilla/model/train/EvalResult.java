package dev.flotilla.model.train;

/**
 * Evaluation of a model on held-out examples.
 *
 * @param examples number of examples evaluated
 * @param loss mean loss per example (classification) or per scored token (causal LM)
 * @param accuracy correct / scored predictions (classes, or next response tokens)
 */
public record EvalResult(int examples, double loss, double accuracy) {}
