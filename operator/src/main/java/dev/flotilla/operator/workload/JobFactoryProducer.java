package dev.flotilla.operator.workload;

import dev.flotilla.operator.config.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the {@link JobFactory} configured by {@code flotilla.jobs.*} injectable. */
@ApplicationScoped
public class JobFactoryProducer {

  @Produces
  @Singleton
  JobFactory jobFactory(OperatorConfig config) {
    return new JobFactory(config);
  }
}
