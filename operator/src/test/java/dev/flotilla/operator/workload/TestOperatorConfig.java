package dev.flotilla.operator.workload;

import dev.flotilla.operator.config.OperatorConfig;

/** Fixed operator settings for tests and benchmarks that build Jobs without Quarkus config. */
public final class TestOperatorConfig {
  private TestOperatorConfig() {}

  /** Job settings: the given create parallelism, backoff 1, TTL 1 h, 20 Gi cache. */
  public static OperatorConfig.Jobs jobs(int createParallelism) {
    return new OperatorConfig.Jobs() {
      @Override
      public int createParallelism() {
        return createParallelism;
      }

      @Override
      public int backoffLimit() {
        return 1;
      }

      @Override
      public int ttlSecondsAfterFinished() {
        return 3600;
      }

      @Override
      public String cacheSizeLimit() {
        return "20Gi";
      }
    };
  }

  /** Default trainer and aggregator images. */
  public static OperatorConfig.Images images(String trainer, String aggregator) {
    return new OperatorConfig.Images() {
      @Override
      public String trainer() {
        return trainer;
      }

      @Override
      public String aggregator() {
        return aggregator;
      }
    };
  }
}
