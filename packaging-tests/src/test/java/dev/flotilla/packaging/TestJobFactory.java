package dev.flotilla.packaging;

import dev.flotilla.operator.config.OperatorConfig;
import dev.flotilla.operator.workload.JobFactory;

/** The operator's real JobFactory with fixed Job settings and test images. */
final class TestJobFactory {

  private TestJobFactory() {}

  static JobFactory create() {
    return new JobFactory(
        new OperatorConfig.Jobs() {
          @Override
          public int createParallelism() {
            return 4;
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
        },
        new OperatorConfig.Images() {
          @Override
          public String trainer() {
            return "registry.example/flotilla-trainer:test";
          }

          @Override
          public String aggregator() {
            return "registry.example/flotilla-aggregator:test";
          }
        });
  }
}
