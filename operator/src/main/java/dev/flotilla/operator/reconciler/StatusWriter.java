package dev.flotilla.operator.reconciler;

import dev.flotilla.core.spec.FederationStatus;
import dev.flotilla.operator.api.v1alpha1.Federation;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.net.HttpURLConnection;
import java.util.Optional;

/**
 * Persists a Federation's status before any action of the same decision runs ("intent before
 * acting"). The write is a status update guarded by the observed {@code resourceVersion}: when
 * another writer got there first it fails with a conflict and the reconcile observes again instead
 * of acting on stale intent. The result is put in the controller's cache, so the next reconcile
 * sees it even before the watch event arrives.
 */
final class StatusWriter {

  private StatusWriter() {}

  /**
   * Writes {@code status} as the status of {@code federation}; empty on a conflict.
   *
   * @return the updated Federation, or empty when its resourceVersion changed meanwhile
   */
  static Optional<Federation> persist(
      Federation federation, FederationStatus status, Context<Federation> context) {
    Federation update = new Federation();
    update.setMetadata(new ObjectMetaBuilder(federation.getMetadata()).build());
    update.setSpec(federation.getSpec());
    update.setStatus(status);
    try {
      return Optional.of(context.resourceOperations().updatePrimaryStatus(update));
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
