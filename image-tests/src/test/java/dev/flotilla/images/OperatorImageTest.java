package dev.flotilla.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.local.container.ContainerImages;
import dev.flotilla.local.container.ContainerSpec;
import dev.flotilla.local.container.Podman;
import dev.flotilla.local.s3.EmbeddedS3Server;
import dev.flotilla.operator.workload.WorkloadLabels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator image started as the chart's Deployment runs it: the Deployment is rendered by Helm
 * from charts/flotilla (image, user 185, read-only root, no capabilities, its environment, the
 * {@code /tmp} emptyDir) and translated by {@link PodContainers}; only what a cluster provides is
 * added (the pod name as {@code HOSTNAME}, the API server and namespace the service account mount
 * would give). From inside the container it must reach a fabric8 mock API server in CRUD mode on
 * the host, take its leader election Lease, reconcile a Federation to its first round's Jobs, and
 * answer the chart's startup, liveness and readiness probes.
 */
class OperatorImageTest {
  private static final String SYSTEM = "flotilla-system";
  private static final String DEMO = "demo";
  private static final String POD = "flotilla-operator-0";
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void startsAsTheChartDeploysItTakesTheLeaseAndCreatesTheFirstJobs() throws Exception {
    BuiltImages.get();
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    server.init();
    // JOSDK checks its Lease permissions with a SelfSubjectRulesReview, which only a real API
    // server evaluates: answered as the chart's leader election Role grants.
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            new SelfSubjectRulesReviewBuilder()
                .withNewStatus()
                .withIncomplete(false)
                .addNewResourceRule()
                .withApiGroups("coordination.k8s.io")
                .withResources("leases")
                .withVerbs("get", "create", "update")
                .endResourceRule()
                .endStatus()
                .build())
        .always();
    Podman podman = Podman.detect();
    ContainerSpec operator = null;
    Process process = null;
    try (KubernetesClient client = server.createClient();
        EmbeddedS3Server s3 = EmbeddedS3Server.start(dir.resolve("s3"), QuickstartInputs.BUCKET)) {
      installCrds(client);
      for (String ns : List.of(SYSTEM, DEMO)) {
        client
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
            .create();
      }
      client
          .secrets()
          .inNamespace(DEMO)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("flotilla-storage")
                  .endMetadata()
                  .addToStringData("accessKey", s3.accessKey())
                  .addToStringData("secretKey", s3.secretKey())
                  .build())
          .create();
      for (String document : QuickstartInputs.manifest(2).split("(?m)^---$")) {
        GenericKubernetesResource resource =
            Serialization.unmarshal(document, GenericKubernetesResource.class);
        resource.getMetadata().setNamespace(DEMO);
        client.resource(resource).create();
      }

      String apiServer = "http://127.0.0.1:" + server.getPort();
      int port = freePort();
      Deployment deployment = chartDeployment(s3.endpoint(), port);
      ContainerSpec fromChart =
          PodContainers.translate(
              POD,
              deployment.getSpec().getTemplate().getSpec(),
              Map.of(),
              Map.of(),
              dir.resolve("volumes"));
      Map<String, String> env = new LinkedHashMap<>(fromChart.env());
      env.put("HOSTNAME", POD);
      env.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", apiServer);
      env.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", SYSTEM);
      operator =
          new ContainerSpec(
              fromChart.name(),
              fromChart.image(),
              "Never",
              fromChart.args(),
              env,
              fromChart.secretEnv(),
              fromChart.mounts(),
              fromChart.security(),
              fromChart.runAsUser(),
              fromChart.runAsGroup(),
              fromChart.supplementalGroups(),
              fromChart.cpus(),
              fromChart.memoryBytes());
      assertThat(operator.image()).isEqualTo("localhost/flotilla-operator:" + version());
      assertThat(operator.security().readOnlyRootFilesystem()).isTrue();
      assertThat(operator.runAsUser()).isEqualTo(185L);

      Path log = dir.resolve("operator.log");
      Podman.Run run = podman.run(operator);
      ProcessBuilder builder = new ProcessBuilder(run.command()).redirectErrorStream(true);
      builder.environment().putAll(run.environment());
      long started = System.nanoTime();
      process = builder.redirectOutput(log.toFile()).start();
      long firstLine = awaitLine(log, process, started, l -> !l.startsWith("Picked up"));
      long quarkusStarted = awaitLine(log, process, started, l -> l.contains(" started in "));

      String lease = await(() -> leaseHolder(client), process, log, "the Lease held by " + POD);
      assertThat(lease).isEqualTo(POD);
      List<Job> jobs =
          await(
              () -> {
                List<Job> items =
                    client
                        .batch()
                        .v1()
                        .jobs()
                        .inNamespace(DEMO)
                        .withLabel(WorkloadLabels.MANAGED_BY, WorkloadLabels.FLOTILLA)
                        .list()
                        .getItems();
                return items.size() == 3 ? items : null;
              },
              process,
              log,
              "round 1's three trainer Jobs");
      long reconciled = System.nanoTime();
      assertThat(jobs)
          .allSatisfy(
              job ->
                  assertThat(job.getMetadata().getLabels())
                      .containsEntry(WorkloadLabels.COMPONENT, WorkloadLabels.TRAINER));
      System.out.printf(
          "operator image: first log line %.1f s, Quarkus started %.1f s, lease and first Jobs"
              + " %.1f s after podman run%n",
          firstLine / 1e9, quarkusStarted / 1e9, (reconciled - started) / 1e9);
      // The chart's probes, as the kubelet would call them on the pod.
      Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
      HttpClient http = HttpClient.newHttpClient();
      for (Probe probe :
          List.of(
              container.getStartupProbe(),
              container.getLivenessProbe(),
              container.getReadinessProbe())) {
        URI uri = URI.create("http://127.0.0.1:" + port + probe.getHttpGet().getPath());
        HttpResponse<String> response =
            http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(uri + ": " + response.body()).isEqualTo(200);
      }
      assertThat(process.isAlive()).as(Files.readString(log)).isTrue();
    } finally {
      if (process != null) {
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
      }
      if (operator != null) {
        podman.remove(operator.name());
      }
      server.destroy();
    }
  }

  /** The chart's Deployment with the local operator image, storage defaults and metrics port. */
  private static Deployment chartDeployment(String s3Endpoint, int port) throws Exception {
    Path helm =
        Path.of(System.getProperty("user.home"), ".cache/flotilla/tools/kubectl-layer-2.2.2/helm");
    if (!Files.isExecutable(helm)) {
      run(List.of("bash", Repo.root().resolve("packaging-tests/fetch-tools.sh").toString()));
    }
    String rendered =
        run(
            List.of(
                helm.toString(),
                "template",
                "flotilla",
                Repo.root().resolve("charts/flotilla").toString(),
                "--namespace",
                SYSTEM,
                "--set",
                "image.registry=localhost",
                "--set",
                "image.repository=flotilla-operator",
                "--set",
                "image.tag=" + version(),
                "--set",
                "metrics.port=" + port,
                "--set",
                "storage.defaultEndpoint=" + s3Endpoint,
                "--set",
                "storage.defaultSecret.name=flotilla-storage",
                "--show-only",
                "templates/deployment.yaml"));
    return Serialization.unmarshal(rendered, Deployment.class);
  }

  private static String version() {
    return ContainerImages.built().trainer().substring("localhost/flotilla-trainer:".length());
  }

  private static void installCrds(KubernetesClient client) throws IOException {
    Path crds = Repo.root().resolve("crds");
    for (String file :
        List.of("federations.flotilla.dev-v1.yml", "clientpools.flotilla.dev-v1.yml")) {
      client
          .resource(
              Serialization.unmarshal(
                  Files.readString(crds.resolve(file)), CustomResourceDefinition.class))
          .create();
    }
  }

  private static String leaseHolder(KubernetesClient client) {
    List<Lease> leases = client.leases().inNamespace(SYSTEM).list().getItems();
    return leases.isEmpty() ? null : leases.get(0).getSpec().getHolderIdentity();
  }

  /** Nanoseconds from {@code started} until the log has a line matching {@code line}. */
  private static long awaitLine(Path log, Process process, long started, Predicate<String> line)
      throws Exception {
    while (System.nanoTime() - started < TIMEOUT.toNanos()) {
      if (Files.readAllLines(log).stream().anyMatch(line)) {
        return System.nanoTime() - started;
      }
      if (!process.isAlive()) {
        throw new AssertionError("operator exited: " + Files.readString(log));
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no such log line from the operator:\n" + Files.readString(log));
  }

  private interface Check<T> {
    T get() throws Exception;
  }

  private static <T> T await(Check<T> probe, Process process, Path log, String what)
      throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      if (!process.isAlive()) {
        throw new AssertionError("operator exited before " + what + ":\n" + Files.readString(log));
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no " + what + " within " + TIMEOUT + ":\n" + Files.readString(log));
  }

  private static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
    }
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
