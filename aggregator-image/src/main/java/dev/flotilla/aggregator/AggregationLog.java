package dev.flotilla.aggregator;

import dev.flotilla.core.aggregation.AggregationConfig;
import dev.flotilla.core.aggregation.AggregationResult;
import dev.flotilla.core.storage.RoundManifest.FailedClient;
import dev.flotilla.core.storage.RoundManifest.RejectedClient;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aggregator's own log lines: which uploads it screened out and why, then what it merged (the
 * strategy, clients, their weights and example counts, the ranks) and the held-out metrics.
 */
final class AggregationLog {
  private static final Logger LOG = LoggerFactory.getLogger(AggregationLog.class);

  private AggregationLog() {}

  /** One line per client left out of round {@code round}, with the reason. */
  static void screened(int round, Screening screening) {
    for (RejectedClient r : screening.rejected()) {
      LOG.warn("round {}: rejected the upload of client {}: {}", round, r.clientId(), r.reason());
    }
    for (FailedClient f : screening.failed()) {
      LOG.warn("round {}: no upload from client {}: {}", round, f.clientId(), f.reason());
    }
    LOG.info(
        "round {}: {} upload(s) accepted, {} rejected, {} missing",
        round,
        screening.accepted().size(),
        screening.rejected().size(),
        screening.failed().size());
  }

  /** What round {@code round} merged, and how the result scored. */
  static void merged(
      int round,
      AggregationConfig config,
      Map<String, Long> examples,
      AggregationResult result,
      Map<String, Double> evalMetrics) {
    String clients =
        new TreeMap<>(examples)
            .entrySet().stream()
                .map(
                    e ->
                        String.format(
                            Locale.ROOT,
                            "%s (%d examples, weight %.3f)",
                            e.getKey(),
                            e.getValue(),
                            result.weights().getOrDefault(e.getKey(), Double.NaN)))
                .collect(Collectors.joining(", "));
    LOG.info(
        "round {}: {} merged {} client(s) of ranks {} into global rank {} ({} weighting): {}",
        round,
        config.strategy(),
        examples.size(),
        config.clientRanks(),
        config.globalRank(),
        config.weighting(),
        clients);
    if (!evalMetrics.isEmpty()) {
      LOG.info("round {}: held-out evaluation {}", round, new TreeMap<>(evalMetrics));
    }
  }
}
