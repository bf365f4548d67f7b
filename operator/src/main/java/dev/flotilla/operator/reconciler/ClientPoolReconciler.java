package dev.flotilla.operator.reconciler;

import dev.flotilla.core.spec.ClientPoolStatus;
import dev.flotilla.core.spec.ConditionStatus;
import dev.flotilla.core.spec.FederationConditions;
import dev.flotilla.operator.api.v1alpha1.ClientPool;
import dev.flotilla.operator.policy.AdmissionPolicy;
import dev.flotilla.operator.pools.ClientPoolValidator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Validates each ClientPool against its schema rules and the operator's admission policy and
 * reports its client count and a Ready condition.
 */
@ControllerConfiguration(name = ClientPoolReconciler.NAME)
public class ClientPoolReconciler implements Reconciler<ClientPool> {

  /** Controller name (used in configuration keys and metrics). */
  public static final String NAME = "clientpool";

  private final AdmissionPolicy policy;
  private final Clock clock;

  /** Creates the reconciler with the operator's policy and the system clock. */
  @Inject
  public ClientPoolReconciler(AdmissionPolicy policy) {
    this(policy, Clock.systemUTC());
  }

  ClientPoolReconciler(AdmissionPolicy policy, Clock clock) {
    this.policy = policy;
    this.clock = clock;
  }

  @Override
  public UpdateControl<ClientPool> reconcile(ClientPool pool, Context<ClientPool> context) {
    ClientPoolValidator.Result result = ClientPoolValidator.validate(pool.getSpec());
    ClientPoolStatus current = pool.getStatus();
    Long generation = pool.getMetadata().getGeneration();
    FederationConditions conditions =
        FederationConditions.edit(
            current == null ? null : current.getConditions(), generation, clock.instant());
    List<String> refusals = pool.getSpec() == null ? List.of() : policy.refusals(pool.getSpec());
    if (result.valid() && !refusals.isEmpty()) {
      conditions.set(
          FederationConditions.READY,
          ConditionStatus.False,
          AdmissionPolicy.REASON,
          String.join("; ", refusals));
    } else if (result.valid()) {
      conditions.set(
          FederationConditions.READY, ConditionStatus.True, "Valid", result.clients() + " clients");
    } else {
      conditions.set(
          FederationConditions.READY, ConditionStatus.False, "InvalidSpec", result.message());
    }
    ClientPoolStatus next = new ClientPoolStatus();
    next.setClients(result.valid() ? result.clients() : null);
    next.setObservedGeneration(generation);
    next.setConditions(conditions.toList());
    if (Objects.equals(current, next)) {
      return UpdateControl.noUpdate();
    }
    pool.setStatus(next);
    return UpdateControl.patchStatus(pool);
  }
}
