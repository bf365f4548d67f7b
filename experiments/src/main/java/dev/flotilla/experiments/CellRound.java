package dev.flotilla.experiments;

/**
 * The outcome of one round of one experiment cell (round 0: the untrained starting point).
 *
 * @param round round number
 * @param accuracy held-out accuracy of the global adapter
 * @param evalLoss held-out loss of the global adapter
 * @param trainLoss sample-weighted mean final training loss of the clients (NaN in round 0)
 * @param steps optimizer steps taken by all clients together in this round
 * @param seconds wall-clock seconds of the round (training, aggregation, evaluation)
 */
public record CellRound(
    int round, double accuracy, double evalLoss, double trainLoss, long steps, double seconds) {}
