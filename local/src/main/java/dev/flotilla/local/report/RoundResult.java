package dev.flotilla.local.report;

import java.util.OptionalDouble;

/**
 * The outcome of one committed round, as shown in the summary table, the CSV and the plot. Round 0
 * is the untrained starting point (fresh LoRA, initialised head): no clients, held-out metrics
 * only.
 *
 * @param round the round number (1-based; 0 for the untrained starting point)
 * @param sampled clients sampled for the round
 * @param succeeded clients whose update was aggregated
 * @param failed clients whose trainer failed or whose update was rejected
 * @param trainLoss mean final training loss over the aggregated clients (weighted as the aggregator
 *     weighted them), if reported
 * @param evalLoss held-out loss of the global adapter, if evaluated
 * @param evalAccuracy held-out accuracy of the global adapter, if evaluated
 * @param seconds wall-clock seconds from the round's start to its commit, NaN when unknown
 */
public record RoundResult(
    int round,
    int sampled,
    int succeeded,
    int failed,
    OptionalDouble trainLoss,
    OptionalDouble evalLoss,
    OptionalDouble evalAccuracy,
    double seconds) {}
