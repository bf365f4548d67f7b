package dev.flotilla.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.flotilla.core.spec.Condition;
import dev.flotilla.core.spec.ConditionStatus;
import dev.flotilla.core.spec.FederationPhase;
import dev.flotilla.core.spec.FederationStatus;
import dev.flotilla.operator.api.v1alpha1.ClientPool;
import dev.flotilla.operator.api.v1alpha1.Federation;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile Federations and ClientPools sent straight to the API (as if the CRD schema had not been
 * applied: an outdated CRD, a mock server) must be refused by the operator before any I/O, with a
 * condition naming the field and the limit; a hostile storage endpoint (one that never answers, one
 * that answers HTML) gets a condition within seconds, never echoes its body, and does not hold up a
 * healthy Federation.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class HostileFederationTest {

  static S3TestServer s3;
  static Canary canary;
  static Blackhole blackhole;
  static HttpServer html;
  static final String MARKER = "TENANT-BODY-MARKER-5d1c";

  @Inject KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3TestServer.start();
    canary = new Canary();
    blackhole = new Blackhole();
    html = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    html.createContext(
        "/",
        exchange -> {
          if (exchange.getRequestMethod().equals("HEAD")) {
            // The bucket "exists": the operator goes on to claim its prefix, and gets HTML.
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
            return;
          }
          byte[] body =
              ("<html><body>" + MARKER + " internal secrets here</body></html>")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/html");
          exchange.sendResponseHeaders(403, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    html.start();
  }

  @AfterAll
  static void stop() throws Exception {
    html.stop(0);
    blackhole.close();
    canary.close();
    s3.close();
  }

  /** A hostile change to a valid Federation, and what its InvalidSpec condition must name. */
  record Hostile(String name, Consumer<Federation> change, String field, String limit) {}

  static List<Hostile> federationCases() {
    return List.of(
        new Hostile(
            "rounds", f -> f.getSpec().setRounds(Integer.MAX_VALUE), "spec.rounds", "10000"),
        new Hostile(
            "sampled",
            f -> f.getSpec().getSampling().setClientsPerRound(1_000_000),
            "spec.sampling.clientsPerRound",
            "10000"),
        new Hostile(
            "timeout",
            f -> f.getSpec().setRoundTimeout("2562047788016h"),
            "spec.roundTimeout",
            "168h"),
        new Hostile("long-name-" + "x".repeat(60), f -> {}, "metadata.name", "63"),
        new Hostile(
            "prefix",
            f -> f.getSpec().getStorage().setPrefix("flotilla/../other-tenant"),
            "spec.storage.prefix",
            ".."),
        new Hostile(
            "file-model",
            f -> f.getSpec().getBaseModel().setUri("file:model"),
            "spec.baseModel.uri",
            "file:"),
        new Hostile(
            "rank",
            f -> f.getSpec().getAggregation().setGlobalRank(Integer.MAX_VALUE),
            "spec.aggregation.globalRank",
            "1024"),
        new Hostile(
            "pvc",
            f -> f.getSpec().getBaseModel().setUri("pvc://models/minilm"),
            "spec.baseModel.uri",
            "s3://"));
  }

  @Test
  void hostileFederationsAreRefusedBeforeAnyIo() {
    String ns = "hostile";
    client.resource(FederationFixtures.secret(ns)).create();
    client.resource(FederationFixtures.edgePool(ns)).create();
    Instant start = Instant.now();
    for (Hostile c : federationCases()) {
      Federation f = federation(ns, c.name(), canary.endpoint());
      c.change().accept(f);
      client.resource(f).create();
    }
    for (Hostile c : federationCases()) {
      Condition degraded = awaitCondition(ns, c.name(), "Degraded", Duration.ofSeconds(60));
      assertThat(degraded.getReason()).as(c.name()).isEqualTo("InvalidSpec");
      assertThat(degraded.getMessage()).as(c.name()).contains(c.field()).contains(c.limit());
    }
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(60));
    assertThat(canary.connections.get())
        .as("connections to the storage endpoint of refused Federations")
        .isZero();
  }

  @Test
  void hostilePoolsAreRefusedBeforeAnyIo() {
    String ns = "hostile-pools";
    client.resource(FederationFixtures.secret(ns)).create();
    ClientPool huge = FederationFixtures.gpuPool(ns);
    huge.getSpec().getClients().setCount(Integer.MAX_VALUE);
    client.resource(huge).create();
    client.resource(federation(ns, "huge-pool", canary.endpoint(), "[gpu-pool]")).create();

    // Two pools of 6,000 generated clients: each within its bound, together above 10,000.
    for (String name : List.of("big-a", "big-b")) {
      ClientPool big = FederationFixtures.gpuPool(ns);
      big.getMetadata().setName(name);
      big.getSpec().getClients().setCount(6_000);
      big.getSpec().getClients().setIdPrefix(name + "-");
      client.resource(big).create();
    }
    client.resource(federation(ns, "two-big", canary.endpoint(), "[big-a, big-b]")).create();

    // Until the informer sees a pool, the Federation is refused for the missing pool (no I/O
    // either); then for the pool itself.
    Condition huge1 =
        awaitCondition(ns, "huge-pool", "Degraded", Duration.ofSeconds(60), "spec.clients.count");
    assertThat(huge1.getMessage()).contains("spec.clients.count").contains("10000");
    Condition total =
        awaitCondition(ns, "two-big", "Degraded", Duration.ofSeconds(60), "spec.clientPools: the");
    assertThat(total.getReason()).isEqualTo("InvalidSpec");
    assertThat(total.getMessage()).contains("spec.clientPools").contains("12000").contains("10000");
    assertThat(canary.connections.get()).isZero();
  }

  @Test
  void aSilentEndpointIsReportedWithinSecondsAndDoesNotHoldUpAnotherFederation() {
    String ns = "slow";
    client.resource(FederationFixtures.secret(ns)).create();
    client.resource(FederationFixtures.edgePool(ns)).create();
    client.resource(FederationFixtures.gpuPool(ns)).create();
    Instant start = Instant.now();
    client.resource(federation(ns, "silent", blackhole.endpoint())).create();
    Federation healthyFederation =
        FederationFixtures.federation(
            ns, "healthy", 1, "[gpu-pool, edge-pool]", s3.endpoint(), "healthy", "flotilla");
    healthyFederation.getSpec().getStorage().setCreateBucket(true);
    client.resource(healthyFederation).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> phase(ns, "healthy") == FederationPhase.Training);
    Duration healthy = Duration.between(start, Instant.now());

    Condition silent = awaitCondition(ns, "silent", "Degraded", Duration.ofSeconds(30));
    Duration reported = Duration.between(start, Instant.now());
    assertThat(silent.getReason()).isEqualTo("StorageUnavailable");
    assertThat(blackhole.connections.get()).as("the silent endpoint was contacted").isPositive();
    assertThat(healthy)
        .as("time until the healthy Federation trains")
        .isLessThan(Duration.ofSeconds(30));
    assertThat(reported)
        .as("time until the silent endpoint is reported")
        .isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void anHtmlErrorBodyNeverReachesConditionsOrEvents() {
    String ns = "html";
    client.resource(FederationFixtures.secret(ns)).create();
    client.resource(FederationFixtures.edgePool(ns)).create();
    String endpoint = "http://127.0.0.1:" + html.getAddress().getPort();
    client.resource(federation(ns, "html-endpoint", endpoint)).create();

    Condition degraded = awaitCondition(ns, "html-endpoint", "Degraded", Duration.ofSeconds(30));
    assertThat(degraded.getReason()).isEqualTo("StorageUnavailable");
    assertThat(degraded.getMessage()).doesNotContain(MARKER).contains("127.0.0.1");
    await().atMost(Duration.ofSeconds(10)).until(() -> !events(ns, "html-endpoint").isEmpty());
    assertThat(events(ns, "html-endpoint"))
        .extracting(Event::getMessage)
        .allSatisfy(m -> assertThat(m).doesNotContain(MARKER));
  }

  private Federation federation(String ns, String name, String endpoint) {
    return federation(ns, name, endpoint, "[edge-pool]");
  }

  private Federation federation(String ns, String name, String endpoint, String pools) {
    Federation f =
        FederationFixtures.federation(ns, name, 1, pools, endpoint, "flotilla", "flotilla");
    f.getSpec().getSampling().setClientsPerRound(2);
    f.getSpec().getSampling().setMinClients(1);
    return f;
  }

  private Condition awaitCondition(String ns, String name, String type, Duration within) {
    return awaitCondition(ns, name, type, within, "");
  }

  private Condition awaitCondition(
      String ns, String name, String type, Duration within, String message) {
    return await()
        .atMost(within)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                Optional.ofNullable(
                        client.resources(Federation.class).inNamespace(ns).withName(name).get())
                    .map(Federation::getStatus)
                    .map(FederationStatus::getConditions)
                    .flatMap(
                        cs ->
                            cs.stream()
                                .filter(c -> type.equals(c.getType()))
                                .filter(c -> c.getStatus() == ConditionStatus.True)
                                .filter(c -> c.getMessage().contains(message))
                                .findFirst())
                    .orElse(null),
            c -> c != null);
  }

  private FederationPhase phase(String ns, String name) {
    return Optional.ofNullable(
            client.resources(Federation.class).inNamespace(ns).withName(name).get())
        .map(Federation::getStatus)
        .map(FederationStatus::getPhase)
        .orElse(null);
  }

  private List<Event> events(String ns, String name) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  /** Accepts connections, counts them and closes them: any count means the operator did I/O. */
  static final class Canary extends Listener {
    Canary() throws IOException {
      super(false);
    }
  }

  /** Accepts connections and never answers, holding each open until closed. */
  static final class Blackhole extends Listener {
    Blackhole() throws IOException {
      super(true);
    }
  }

  /** A loopback listener counting accepted connections. */
  abstract static class Listener implements AutoCloseable {
    final AtomicInteger connections = new AtomicInteger();
    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    Listener(boolean hold) throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread accept =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    Socket socket = server.accept();
                    connections.incrementAndGet();
                    if (hold) {
                      held.add(socket);
                    } else {
                      socket.close();
                    }
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "listener-" + server.getLocalPort());
      accept.setDaemon(true);
      accept.start();
    }

    String endpoint() {
      return "http://127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket socket : held) {
        socket.close();
      }
    }
  }
}
