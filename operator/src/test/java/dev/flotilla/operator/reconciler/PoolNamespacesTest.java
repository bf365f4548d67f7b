package dev.flotilla.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flotilla.core.protocol.WorkloadNames;
import dev.flotilla.core.spec.Condition;
import dev.flotilla.core.spec.FederationPhase;
import dev.flotilla.core.spec.FederationStatus;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.S3ObjectStore;
import dev.flotilla.core.storage.S3Settings;
import dev.flotilla.core.workload.WorkloadEnvironment;
import dev.flotilla.operator.api.v1alpha1.ClientPool;
import dev.flotilla.operator.api.v1alpha1.Federation;
import dev.flotilla.operator.workload.WorkloadLabels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Data owners in their own namespaces: a Federation trains on ClientPools of other namespaces only
 * when both sides grant it (the Federation's {@code spec.clientPools.refs}, the pool's {@code
 * spec.allowedFederations}); their trainers run in the pool's namespace with the pool's data
 * credential and the attempt's grant, never the Federation's credential. Against the mock API
 * server (CRUD) and three real S3 servers with different credentials: the Federation's exchange
 * store and one data store per owner.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class PoolNamespacesTest {

  static final String BUCKET = "exchange";
  static final String DATA_BUCKET = "records";
  static S3TestServer exchange;
  static S3TestServer storeA;
  static S3TestServer storeB;
  static ObjectStore exchangeStore;
  static Path work;

  @Inject KubernetesClient client;

  @BeforeAll
  static void startStorage() throws Exception {
    exchange = S3TestServer.start();
    storeA = S3TestServer.start("hospital-a-key", "hospital-a-secret");
    storeB = S3TestServer.start("hospital-b-key", "hospital-b-secret");
    exchangeStore = S3ObjectStore.open(exchange.settings(BUCKET));
    for (S3TestServer data : List.of(storeA, storeB)) {
      try (S3ObjectStore store = S3ObjectStore.open(data.settings(DATA_BUCKET))) {
        store.put("client.jsonl", "{\"text\":\"private\",\"label\":1}\n".getBytes(UTF8));
      }
    }
    work = Files.createTempDirectory("flotilla-pool-namespaces");
  }

  @AfterAll
  static void stopStorage() throws Exception {
    if (exchangeStore instanceof AutoCloseable closeable) {
      closeable.close();
    }
    for (S3TestServer server : new S3TestServer[] {exchange, storeA, storeB}) {
      if (server != null) {
        server.close();
      }
    }
  }

  @Test
  void trainsGrantedPoolsInTheirOwnNamespacesWithTheirOwnCredentials() throws Exception {
    client.resource(FederationFixtures.secret("lab")).create();
    client.resource(dataSecret("hospital-a", "hospital-a-key", "hospital-a-secret")).create();
    client.resource(dataSecret("hospital-b", "hospital-b-key", "hospital-b-secret")).create();
    client
        .resource(pool("hospital-a", "pool-a", "a", storeA, "[{namespace: lab, name: fed}]"))
        .create();
    // The second data owner has not accepted the Federation yet.
    client.resource(pool("hospital-b", "pool-b", "b", storeB, null)).create();
    client
        .resource(
            federation(
                "lab",
                "fed",
                "[{namespace: hospital-a, name: pool-a},"
                    + " {namespace: hospital-b, name: pool-b}]"))
        .create();

    Condition blocked = awaitCondition("lab", "fed", "ClientPoolNotGranted");
    assertThat(blocked.getMessage())
        .contains("ClientPool hospital-b/pool-b does not accept Federation lab/fed")
        .contains("spec.allowedFederations")
        .doesNotContain("pool-a does not accept");
    assertThat(jobsOf("lab", "fed")).as("no Job while a pool is not granted").isEmpty();

    client
        .resources(ClientPool.class)
        .inNamespace("hospital-b")
        .withName("pool-b")
        .edit(
            p -> {
              p.getSpec()
                  .setAllowedFederations(
                      List.of(new dev.flotilla.core.spec.FederationGrant("lab", "fed")));
              return p;
            });

    TestKubelet kubelet = new TestKubelet(client, exchangeStore, work);
    runUntilCompleted(kubelet, "lab", "fed", "lab", "hospital-a", "hospital-b");
    assertThat(kubelet.problems()).isEmpty();

    List<Job> trainers =
        kubelet.seen().stream()
            .filter(j -> WorkloadLabels.TRAINER.equals(label(j, WorkloadLabels.COMPONENT)))
            .toList();
    assertThat(trainers).hasSize(3);
    for (Job trainer : trainers) {
      String ns = trainer.getMetadata().getNamespace();
      String id = label(trainer, WorkloadLabels.CLIENT);
      assertThat(ns)
          .as("trainer of %s", id)
          .isEqualTo(id.startsWith("a-") ? "hospital-a" : "hospital-b");
      // No owner reference can cross namespaces; the labels name the Federation and its namespace.
      assertThat(trainer.getMetadata().getOwnerReferences()).isEmpty();
      assertThat(label(trainer, WorkloadLabels.FEDERATION_NAMESPACE)).isEqualTo("lab");
      // Qualified by the Federation's namespace: a same-named Federation elsewhere cannot collide.
      assertThat(trainer.getMetadata().getName())
          .isNotEqualTo(WorkloadNames.trainer("fed", 1, id, 1))
          .startsWith(WorkloadNames.trainer("fed", 1, id, 1));
      checkTrainerPod(trainer);
    }
    Job aggregator =
        kubelet.seen().stream()
            .filter(j -> WorkloadLabels.AGGREGATOR.equals(label(j, WorkloadLabels.COMPONENT)))
            .findFirst()
            .orElseThrow();
    assertThat(aggregator.getMetadata().getNamespace()).isEqualTo("lab");
    // The finished Federation deleted its Jobs in every namespace.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(jobsOf("lab", "fed")).isEmpty());
  }

  @Test
  void aPoolAcceptsOnlyTheFederationItNames() throws Exception {
    client.resource(FederationFixtures.secret("rogue")).create();
    client.resource(dataSecret("clinic", "hospital-a-key", "hospital-a-secret")).create();
    client
        .resource(pool("clinic", "pool-c", "c", storeA, "[{namespace: research, name: fed}]"))
        .create();
    // Same name as the granted Federation, another namespace: not granted.
    client.resource(federation("rogue", "fed", "[{namespace: clinic, name: pool-c}]")).create();
    Condition blocked = awaitCondition("rogue", "fed", "ClientPoolNotGranted");
    assertThat(blocked.getMessage())
        .contains("ClientPool clinic/pool-c does not accept Federation rogue/fed");
    // Listing names is no way around it either: names select pools of the own namespace only.
    client
        .resource(
            Serialization.unmarshal(
                federationYaml("rogue", "fed2", "clientPools: {names: [pool-c]}"),
                Federation.class))
        .create();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(status("rogue", "fed2").map(FederationStatus::getConditions))
                    .hasValueSatisfying(
                        c ->
                            assertThat(c)
                                .anySatisfy(
                                    x ->
                                        assertThat(x.getMessage())
                                            .contains("ClientPool pool-c not found"))));
    assertThat(jobsOf("rogue", "fed")).isEmpty();
    assertThat(jobsOf("rogue", "fed2")).isEmpty();
    assertThat(client.batch().v1().jobs().inNamespace("clinic").list().getItems()).isEmpty();
  }

  /**
   * A trainer pod references only Secrets of its own namespace (its grant and its pool's data
   * credential); with the credential it gets it reads its owner's data store and nothing else.
   */
  private void checkTrainerPod(Job trainer) throws Exception {
    String ns = trainer.getMetadata().getNamespace();
    PodSpec pod = trainer.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);
    List<String> secrets = new ArrayList<>();
    for (Volume v : pod.getVolumes()) {
      if (v.getSecret() != null) {
        secrets.add(v.getSecret().getSecretName());
      }
    }
    Map<String, String> env = new TreeMap<>();
    for (EnvVar e : container.getEnv()) {
      if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
        String secret = e.getValueFrom().getSecretKeyRef().getName();
        secrets.add(secret);
        env.put(e.getName(), secretValue(ns, secret, e.getValueFrom().getSecretKeyRef().getKey()));
      }
    }
    assertThat(secrets)
        .containsExactlyInAnyOrder(trainer.getMetadata().getName(), "data-creds", "data-creds");
    assertThat(secrets).doesNotContain("s3-creds");
    // The grant Secret lives next to the Job and is handed to it (collected with it).
    Secret grant = client.secrets().inNamespace(ns).withName(trainer.getMetadata().getName()).get();
    assertThat(grant).isNotNull();
    assertThat(grant.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(trainer.getMetadata().getUid()));

    S3TestServer own = ns.equals("hospital-a") ? storeA : storeB;
    S3TestServer other = ns.equals("hospital-a") ? storeB : storeA;
    String access = env.get(WorkloadEnvironment.DATA_ACCESS_KEY);
    String secret = env.get(WorkloadEnvironment.DATA_SECRET_KEY);
    try (S3ObjectStore mine = S3ObjectStore.open(as(own, access, secret, DATA_BUCKET))) {
      assertThat(new String(mine.getBytes("client.jsonl"), UTF8)).contains("private");
    }
    for (S3Settings foreign :
        List.of(as(other, access, secret, DATA_BUCKET), as(exchange, access, secret, BUCKET))) {
      assertThatThrownBy(
              () -> {
                try (S3ObjectStore store = S3ObjectStore.open(foreign)) {
                  store.getBytes(
                      foreign.bucket().equals(BUCKET) ? "pools/fed/owner.json" : "client.jsonl");
                }
              })
          .as("%s's data credential against %s", ns, foreign.endpoint())
          .isInstanceOf(IOException.class)
          .hasMessageMatching(
              "(?is).*(403|Access ?Denied|InvalidAccessKeyId|SignatureDoesNotMatch).*");
    }
  }

  private static S3Settings as(S3TestServer server, String access, String secret, String bucket) {
    return new S3Settings(server.endpoint(), "us-east-1", access, secret, bucket, true, false);
  }

  private String secretValue(String ns, String name, String key) {
    Secret secret = client.secrets().inNamespace(ns).withName(name).get();
    assertThat(secret).as("Secret %s/%s", ns, name).isNotNull();
    // The mock API server keeps stringData as written; a real one folds it into data.
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return secret.getStringData().get(key);
    }
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), UTF8);
  }

  private void runUntilCompleted(TestKubelet kubelet, String ns, String name, String... spaces) {
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              for (String space : spaces) {
                kubelet.step(space);
              }
              Optional<FederationPhase> phase = status(ns, name).map(FederationStatus::getPhase);
              assertThat(phase).isNotEqualTo(Optional.of(FederationPhase.Failed));
              return phase.orElse(null) == FederationPhase.Completed;
            });
  }

  private Condition awaitCondition(String ns, String name, String reason) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                status(ns, name).map(FederationStatus::getConditions).orElse(List.of()).stream()
                    .filter(c -> reason.equals(c.getReason()))
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  private List<Job> jobsOf(String ns, String name) {
    return client
        .batch()
        .v1()
        .jobs()
        .inAnyNamespace()
        .withLabel(WorkloadLabels.FEDERATION, name)
        .list()
        .getItems()
        .stream()
        .filter(j -> ns.equals(label(j, WorkloadLabels.FEDERATION_NAMESPACE)))
        .toList();
  }

  private Optional<FederationStatus> status(String ns, String name) {
    return Optional.ofNullable(
            client.resources(Federation.class).inNamespace(ns).withName(name).get())
        .map(Federation::getStatus);
  }

  private static String label(Job job, String key) {
    return job.getMetadata().getLabels().get(key);
  }

  private static Secret dataSecret(String ns, String access, String secret) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("data-creds")
        .withNamespace(ns)
        .endMetadata()
        .addToStringData("accessKey", access)
        .addToStringData("secretKey", secret)
        .build();
  }

  /** A pool of one data owner: its clients' data in its own store, read with its own Secret. */
  private static ClientPool pool(
      String ns, String name, String prefix, S3TestServer store, String allowed) {
    int clients = prefix.equals("a") ? 2 : 1;
    StringBuilder list = new StringBuilder();
    for (int i = 1; i <= clients; i++) {
      list.append("      - {id: ")
          .append(prefix)
          .append('-')
          .append(i)
          .append(", dataUri: \"s3://" + DATA_BUCKET + "/client.jsonl\"}\n");
    }
    return Serialization.unmarshal(
        """
        apiVersion: flotilla.dev/v1alpha1
        kind: ClientPool
        metadata: {name: %s, namespace: %s}
        spec:
          rank: 4
          clients:
            list:
        %s
          dataStorage:
            endpoint: %s
            secretRef: {name: data-creds}
        %s
        """
            .formatted(
                name,
                ns,
                list.toString().stripTrailing(),
                store.endpoint(),
                allowed == null ? "" : "  allowedFederations: " + allowed),
        ClientPool.class);
  }

  private static Federation federation(String ns, String name, String refs) {
    return Serialization.unmarshal(
        federationYaml(ns, name, "clientPools: {refs: " + refs + "}"), Federation.class);
  }

  private static String federationYaml(String ns, String name, String pools) {
    return """
        apiVersion: flotilla.dev/v1alpha1
        kind: Federation
        metadata: {name: %s, namespace: %s}
        spec:
          baseModel: {uri: "s3://%s/models/all-minilm-l6-v2", architecture: BERT}
          task: {type: SEQUENCE_CLASSIFICATION, numLabels: 2}
          rounds: 1
          sampling: {clientsPerRound: 3, minClients: 3, seed: 7}
          roundTimeout: 5m
          aggregation: {strategy: FLEXLORA, globalRank: 8}
          lora: {alpha: 16, dropout: 0.05, targetModules: [query, value]}
          training: {epochs: 1, batchSize: 8}
          storage:
            endpoint: %s
            bucket: %s
            prefix: pools
            secretRef: {name: s3-creds}
          %s
        """
        .formatted(name, ns, BUCKET, exchange.endpoint(), BUCKET, pools);
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;
}
