package dev.flotilla.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.core.spec.Condition;
import dev.flotilla.core.spec.ConditionStatus;
import dev.flotilla.core.storage.S3ObjectStore;
import dev.flotilla.operator.api.v1alpha1.ClientPool;
import dev.flotilla.operator.api.v1alpha1.Federation;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admission policy in the reconcile path (the test profile's policy: the default images,
 * endpoint 127.0.0.1, RuntimeClass nvidia, PriorityClass training, nothing else): a Federation
 * breaking it, or selecting a pool that does, gets a condition naming the field and the setting,
 * and no Job, no grant Secret and no object-store request follow.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class AdmissionPolicyReconcileTest {
  static final String BUCKET = "flotilla-policy";
  static S3TestServer s3;

  @Inject KubernetesClient client;

  @BeforeAll
  static void startStorage() throws Exception {
    s3 = S3TestServer.start();
    S3ObjectStore.open(s3.settings(BUCKET)).close();
  }

  @AfterAll
  static void stopStorage() throws Exception {
    s3.close();
  }

  @Test
  void aPoolBorrowingAServiceAccountBlocksTheFederationBeforeAnyJob() {
    String ns = "policy-pool";
    client.resource(FederationFixtures.secret(ns)).create();
    client.resource(FederationFixtures.gpuPool(ns)).create();
    ClientPool edge = FederationFixtures.edgePool(ns);
    edge.getSpec().setServiceAccountName("namespace-admin");
    client.resource(edge).create();
    client
        .resource(
            FederationFixtures.federation(
                ns, "fed-p", 2, "[gpu-pool, edge-pool]", s3.endpoint(), BUCKET, "flotilla"))
        .create();

    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Condition ready = ready(ns, "fed-p");
              assertThat(ready.getStatus()).isEqualTo(ConditionStatus.False);
              assertThat(ready.getReason()).isEqualTo("PolicyViolation");
              assertThat(ready.getMessage())
                  .contains(
                      "ClientPool edge-pool: spec.serviceAccountName 'namespace-admin' is not"
                          + " allowed (flotilla.policy.pools.allowed-service-accounts: [])");
              Condition pool =
                  client
                      .resources(ClientPool.class)
                      .inNamespace(ns)
                      .withName("edge-pool")
                      .get()
                      .getStatus()
                      .getConditions()
                      .get(0);
              assertThat(pool.getReason()).isEqualTo("PolicyViolation");
              assertThat(pool.getMessage()).contains("spec.serviceAccountName");
            });
    // Blocked reconciles keep retrying (1 s, 2 s, 4 s...): still nothing is created.
    sleep(Duration.ofSeconds(3));
    assertThat(client.resources(Job.class).inNamespace(ns).list().getItems()).isEmpty();
    assertThat(client.secrets().inNamespace(ns).list().getItems())
        .extracting(Secret::getMetadata)
        .extracting(m -> m.getName())
        .containsExactly("s3-creds");
  }

  @Test
  void anInternalEndpointIsRefusedBeforeTheOperatorCallsIt() throws Exception {
    String ns = "policy-endpoint";
    client.resource(FederationFixtures.secret(ns)).create();
    client.resource(FederationFixtures.edgePool(ns)).create();
    AtomicInteger connections = new AtomicInteger();
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread accepting =
          new Thread(
              () -> {
                while (!listener.isClosed()) {
                  try (Socket ignored = listener.accept()) {
                    connections.incrementAndGet();
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      accepting.setDaemon(true);
      accepting.start();
      // localhost is a loopback name: not the listed 127.0.0.1, so refused.
      String endpoint = "http://localhost:" + listener.getLocalPort();
      client
          .resource(
              FederationFixtures.federation(
                  ns, "fed-e", 1, "[edge-pool]", endpoint, BUCKET, "flotilla"))
          .create();

      await()
          .ignoreExceptions()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                Condition ready = ready(ns, "fed-e");
                assertThat(ready.getReason()).isEqualTo("PolicyViolation");
                assertThat(ready.getMessage())
                    .contains(
                        "spec.storage.endpoint '" + endpoint + "' is a loopback name",
                        "flotilla.policy.storage.allowed-endpoints (now: [127.0.0.1])");
              });
      sleep(Duration.ofSeconds(2));
      assertThat(connections.get()).as("connections to the refused endpoint").isZero();
      assertThat(client.resources(Job.class).inNamespace(ns).list().getItems()).isEmpty();
    }
  }

  private Condition ready(String ns, String name) {
    Federation federation = client.resources(Federation.class).inNamespace(ns).withName(name).get();
    List<Condition> conditions = federation.getStatus().getConditions();
    return conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElseThrow();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
