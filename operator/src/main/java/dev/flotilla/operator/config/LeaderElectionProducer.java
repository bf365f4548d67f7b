package dev.flotilla.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Provides the leader election configuration: with several replicas only the lease holder
 * reconciles (QOSDK activates it in the profiles of {@code
 * quarkus.operator-sdk.activate-leader-election-for-profiles}, prod by default).
 */
@ApplicationScoped
public class LeaderElectionProducer {

  /** The Lease named by {@code flotilla.leader-election.lease-name}, in the operator namespace. */
  @Produces
  @Singleton
  LeaderElectionConfiguration leaderElection(OperatorConfig config) {
    return new LeaderElectionConfiguration(config.leaderElection().leaseName());
  }
}
