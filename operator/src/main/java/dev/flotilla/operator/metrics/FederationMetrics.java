package dev.flotilla.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Prometheus metrics of the federations (scraped at {@code /q/metrics}): rounds ended, round
 * duration, clients that succeeded or failed, and reconcile errors. Tagged by namespace and
 * federation, never by client id, so cardinality stays bounded with 10,000 clients.
 */
@ApplicationScoped
public class FederationMetrics {

  private final MeterRegistry registry;

  /** Metrics registered in {@code registry}. */
  public FederationMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A round ended with {@code outcome} (Committed or Failed) after {@code duration}. */
  public void roundEnded(String namespace, String federation, String outcome, Duration duration) {
    Counter.builder("flotilla.rounds.completed")
        .description("Federated rounds that ended, by outcome")
        .tag("namespace", namespace)
        .tag("federation", federation)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
    if (duration != null && !duration.isNegative()) {
      Timer.builder("flotilla.round.duration")
          .description("Wall time from the start of a round to its end")
          .tag("namespace", namespace)
          .tag("federation", federation)
          .tag("outcome", outcome)
          .register(registry)
          .record(duration);
    }
  }

  /** {@code count} clients of a federation finished with {@code result} (succeeded or failed). */
  public void clientsFinished(String namespace, String federation, String result, int count) {
    if (count <= 0) {
      return;
    }
    Counter.builder("flotilla.clients")
        .description("Trainer workloads that finished, by result")
        .tag("namespace", namespace)
        .tag("federation", federation)
        .tag("result", result)
        .register(registry)
        .increment(count);
  }

  /** A reconcile of {@code controller} failed with an unexpected error. */
  public void reconcileError(String controller, String reason) {
    Counter.builder("flotilla.reconcile.errors")
        .description("Reconciles that failed with an unexpected error")
        .tag("controller", controller)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }
}
