package dev.flotilla.operator.policy;

import dev.flotilla.operator.config.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Makes the {@link AdmissionPolicy} of {@code flotilla.policy.*} injectable; the operator's own
 * default images and default endpoint are allowed on top of the configured lists.
 */
@ApplicationScoped
public class AdmissionPolicyProducer {

  @Produces
  @Singleton
  AdmissionPolicy admissionPolicy(PolicyConfig policy, OperatorConfig operator) {
    List<String> endpoints = new ArrayList<>(policy.storage().allowedEndpoints().orElse(List.of()));
    operator
        .storage()
        .defaultEndpoint()
        .filter(e -> !e.isBlank())
        .map(e -> URI.create(e).getHost())
        .ifPresent(endpoints::add);
    return new AdmissionPolicy(
        new ImageRule(
            policy.images().allowedPrefixes().orElse(List.of()),
            policy.images().requireDigest(),
            Set.of(operator.images().trainer(), operator.images().aggregator())),
        new EndpointRule(endpoints, policy.storage().allowPublicEndpoints()),
        policy.storage().allowedSecretKeys(),
        new PoolRules(
            policy.pools().allowedServiceAccounts().orElse(List.of()),
            policy.pools().allowedPriorityClasses().orElse(List.of()),
            policy.pools().allowedRuntimeClasses().orElse(List.of()),
            policy.pools().allowedEnvSecrets().orElse(List.of()),
            policy.pools().allowedTolerationKeys(),
            policy.pools().allowedNodeSelectorKeys()));
  }
}
