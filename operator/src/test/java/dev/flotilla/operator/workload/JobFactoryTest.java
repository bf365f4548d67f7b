package dev.flotilla.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.protocol.Action.CreateAggregator;
import dev.flotilla.core.protocol.Action.CreateTrainer;
import dev.flotilla.core.protocol.ClientRef;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.DataStorageSpec;
import dev.flotilla.core.spec.EvaluationSpec;
import dev.flotilla.core.spec.SecretKeysRef;
import dev.flotilla.core.storage.StorageGrant;
import dev.flotilla.core.workload.WorkloadContainer;
import dev.flotilla.core.workload.WorkloadEnvironment;
import dev.flotilla.operator.api.v1alpha1.ClientPool;
import dev.flotilla.operator.api.v1alpha1.Federation;
import dev.flotilla.operator.config.OperatorConfig;
import dev.flotilla.operator.storage.StorageSecrets;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Job specs of trainers and aggregators: image precedence and storage credentials. */
class JobFactoryTest {

  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final String DEFAULT_TRAINER = "ghcr.io/flotilla-dev/flotilla-trainer:0.1.0";
  private static final String DEFAULT_AGGREGATOR = "ghcr.io/flotilla-dev/flotilla-aggregator:0.1.0";

  @Test
  void trainerImageIsThePoolsThenTheFederationsThenTheOperatorDefault() {
    Federation federation = federation("secretRef: {name: own-s3}");
    ClientPoolSpec pool = pool(null);
    JobFactory factory = factory(null);

    assertThat(container(trainer(factory, federation, pool)).getImage()).isEqualTo(DEFAULT_TRAINER);

    federation.getSpec().getImages().setTrainer("registry.example.com/ml/trainer:1.0");
    assertThat(container(trainer(factory, federation, pool)).getImage())
        .isEqualTo("registry.example.com/ml/trainer:1.0");

    ClientPoolSpec cuda = pool("registry.example.com/ml/trainer-cuda:1.0");
    assertThat(container(trainer(factory, federation, cuda)).getImage())
        .isEqualTo("registry.example.com/ml/trainer-cuda:1.0");
    // The pool image concerns trainers only.
    assertThat(container(aggregator(factory, federation)).getImage()).isEqualTo(DEFAULT_AGGREGATOR);
  }

  @Test
  void noWorkloadPodCarriesTheFederationsCredential() {
    JobFactory factory = factory(null);
    for (Federation federation : List.of(federation(""), federation("secretRef: {name: own-s3}"))) {
      for (Job job :
          List.of(trainer(factory, federation, pool(null)), aggregator(factory, federation))) {
        Container container = container(job);
        assertThat(container.getEnv())
            .extracting(EnvVar::getName)
            .doesNotContain(WorkloadEnvironment.ACCESS_KEY, WorkloadEnvironment.SECRET_KEY);
        assertThat(container.getEnv())
            .as("no Secret of the Federation's is referenced")
            .allSatisfy(e -> assertThat(e.getValueFrom()).isNull());
        // The grant: the Job's own Secret, read-only, and the program is told where it is.
        assertThat(container.getArgs())
            .containsSequence("--grant", JobFactory.GRANT_PATH + "/" + JobFactory.GRANT_FILE);
        assertThat(container.getVolumeMounts())
            .anySatisfy(
                m -> {
                  assertThat(m.getMountPath()).isEqualTo(JobFactory.GRANT_PATH);
                  assertThat(m.getReadOnly()).isTrue();
                });
        assertThat(job.getSpec().getTemplate().getSpec().getVolumes())
            .filteredOn(v -> v.getSecret() != null)
            .singleElement()
            .satisfies(
                v -> {
                  assertThat(v.getSecret().getSecretName()).isEqualTo(job.getMetadata().getName());
                  // Root-owned Secret files: the non-root image user reads through "other".
                  assertThat(v.getSecret().getDefaultMode()).isEqualTo(0444);
                });
        assertThat(JobFactory.site(target(federation)).grantFile())
            .isEqualTo(WorkloadContainer.GRANT_FILE_PATH);
      }
    }
  }

  @Test
  void aPoolsOwnDataStoreIsReadWithThePoolsSecret() {
    JobFactory factory = factory(null);
    ClientPoolSpec pool = pool(null);
    DataStorageSpec data = new DataStorageSpec();
    data.setEndpoint("https://data.hospital-a.example:9000");
    data.setSecretRef(defaultSecret("hospital-a-data", "id", "key"));
    pool.setDataStorage(data);

    Container container = container(trainer(factory, federation(""), pool));
    assertThat(secretKeyRef(container.getEnv(), WorkloadEnvironment.DATA_ACCESS_KEY))
        .isEqualTo("hospital-a-data/id");
    assertThat(secretKeyRef(container.getEnv(), WorkloadEnvironment.DATA_SECRET_KEY))
        .isEqualTo("hospital-a-data/key");
    assertThat(container.getArgs())
        .containsSequence("--data-endpoint", "https://data.hospital-a.example:9000");
  }

  @Test
  void theGrantSecretIsOwnedLikeItsJob() {
    Job job = trainer(factory(null), federation(""), pool(null));
    StorageGrant grant =
        new StorageGrant(StorageGrant.SCHEMA_VERSION, NOW.toString(), java.util.Map.of());

    Secret secret = factory(null).grantSecret(job, grant);
    assertThat(secret.getMetadata().getName()).isEqualTo(job.getMetadata().getName());
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            ref -> {
              assertThat(ref.getKind()).isEqualTo("Federation");
              assertThat(ref).isEqualTo(job.getMetadata().getOwnerReferences().get(0));
            });
    assertThat(secret.getStringData()).containsKey(JobFactory.GRANT_FILE);
    assertThat(secret.getImmutable()).isTrue();
  }

  @Test
  void aTrainerOfAPoolInAnotherNamespaceRunsThereUnderAQualifiedName() {
    JobFactory factory = factory(null);
    Federation federation = federation("");
    CreateTrainer action =
        new CreateTrainer(
            "demo-r1-c0",
            1,
            1,
            0,
            new ClientRef("c0", "hospital-a/wards", 8, "s3://data/c0.jsonl"),
            null,
            NOW.plus(Duration.ofMinutes(30)));
    Job job = factory.trainer(federation, action, pool(null), target(federation), NOW);

    assertThat(job.getMetadata().getNamespace()).isEqualTo("hospital-a");
    assertThat(job.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(job.getMetadata().getLabels())
        .containsEntry(WorkloadLabels.FEDERATION, "demo")
        .containsEntry(WorkloadLabels.FEDERATION_NAMESPACE, "team-a");
    // Same protocol name, same pool, Federations of two namespaces: two distinct Jobs.
    Federation twin = federation("");
    twin.getMetadata().setNamespace("team-b");
    Job other = factory.trainer(twin, action, pool(null), target(twin), NOW);
    assertThat(job.getMetadata().getName())
        .startsWith("demo-r1-c0-")
        .isNotEqualTo(other.getMetadata().getName())
        .hasSizeLessThanOrEqualTo(63);
    // The pod mounts the grant Secret of its own name, in its own namespace.
    assertThat(job.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .singleElement()
        .satisfies(
            v -> assertThat(v.getSecret().getSecretName()).isEqualTo(job.getMetadata().getName()));
    Secret secret =
        factory.grantSecret(
            job, new StorageGrant(StorageGrant.SCHEMA_VERSION, NOW.toString(), java.util.Map.of()));
    assertThat(secret.getMetadata().getNamespace()).isEqualTo("hospital-a");
    assertThat(secret.getMetadata().getOwnerReferences()).isEmpty();
    // The Federation's own namespace keeps the protocol's name.
    assertThat(trainer(factory, federation, pool(null)).getMetadata().getName())
        .isEqualTo("demo-r1-c0");
  }

  @Test
  void defaultSecretComesFromTheStorageSettings() {
    assertThat(StorageSecrets.defaultRef(storage(Optional.empty()))).isNull();
    assertThat(StorageSecrets.defaultRef(storage(Optional.of(" ")))).isNull();

    SecretKeysRef ref = StorageSecrets.defaultRef(storage(Optional.of("team-s3")));
    assertThat(ref.getName()).isEqualTo("team-s3");
    assertThat(ref.getAccessKeyKey()).isEqualTo("ak");
    assertThat(ref.getSecretKeyKey()).isEqualTo("sk");
  }

  @Test
  void trainerArgsCarryTheArchitectureAndTheTokenizerWhenSet() {
    JobFactory factory = factory(null);
    Federation federation = federation("");

    List<String> args = container(trainer(factory, federation, pool(null))).getArgs();
    assertThat(args).containsSequence("--architecture", "bert").doesNotContain("--tokenizer");

    federation.getSpec().getBaseModel().setTokenizer("s3://models/bert-tokenizer/tokenizer.json");
    assertThat(container(trainer(factory, federation, pool(null))).getArgs())
        .containsSequence("--tokenizer", "s3://models/bert-tokenizer/tokenizer.json");
  }

  @Test
  void aggregatorEvaluatesWithTheBaseModelAndTheTrainersSeed() {
    JobFactory factory = factory(null);
    Federation federation = federation("");
    assertThat(container(aggregator(factory, federation)).getArgs())
        .doesNotContain("--eval-data", "--base-model");

    EvaluationSpec evaluation = new EvaluationSpec();
    evaluation.setDataUri("s3://data/test.jsonl");
    federation.getSpec().setEvaluation(evaluation);
    federation.getSpec().getTraining().setSeed(7L);
    List<String> args = container(aggregator(factory, federation)).getArgs();
    assertThat(args)
        .containsSequence("--eval-data", "s3://data/test.jsonl")
        .containsSequence("--base-model", "s3://models/bert")
        .containsSequence("--task", "seq-cls")
        .containsSequence("--seed", "7");
  }

  @Test
  void theAggregatorsMemoryGrowsWithTheRoundsRanksAndIsItsLimit() {
    JobFactory factory = factory(null);
    Federation federation = federation("secretRef: {name: s3}");
    CreateAggregator small = aggregatorAction(List.of(8));
    CreateAggregator large = aggregatorAction(java.util.Collections.nCopies(100, 16));

    // 768 MiB + 2 MiB × 2 target modules × (8 + global rank 16) = 864 MiB.
    Container one = container(factory.aggregator(federation, small, target(federation), NOW));
    assertThat(one.getResources().getRequests())
        .containsEntry("memory", new Quantity("864Mi"))
        .containsEntry("cpu", new Quantity("1"));
    assertThat(one.getResources().getLimits()).containsEntry("memory", new Quantity("864Mi"));
    // 100 clients of rank 16: 768 MiB + 2 MiB × 2 × 1616 = 7232 MiB.
    Container hundred = container(factory.aggregator(federation, large, target(federation), NOW));
    assertThat(hundred.getResources().getLimits()).containsEntry("memory", new Quantity("7232Mi"));
    // Capped at the configured maximum.
    WorkloadSizing capped = new WorkloadSizing("1", "768Mi", "2Mi", "4Gi", "4Gi");
    assertThat(capped.aggregatorMemoryBytes(federation.getSpec(), large)).isEqualTo(4L << 30);
  }

  @Test
  void everyScratchVolumeHasASizeLimit() {
    JobFactory factory = factory(null);
    Federation federation = federation("secretRef: {name: s3}");
    for (Job job :
        List.of(trainer(factory, federation, pool(null)), aggregator(factory, federation))) {
      assertThat(job.getSpec().getTemplate().getSpec().getVolumes())
          .filteredOn(v -> v.getEmptyDir() != null)
          .extracting(v -> v.getName() + "=" + v.getEmptyDir().getSizeLimit())
          .containsExactlyInAnyOrder("tmp=4Gi", "cache=20Gi");
    }
  }

  private static CreateAggregator aggregatorAction(List<Integer> ranks) {
    List<ClientRef> clients = new java.util.ArrayList<>();
    for (int i = 0; i < ranks.size(); i++) {
      clients.add(new ClientRef("c" + i, "pool", ranks.get(i), "s3://data/c" + i + ".jsonl"));
    }
    return new CreateAggregator(
        "demo-r1-agg",
        1,
        1,
        0,
        clients,
        clients.stream().map(c -> 1).toList(),
        ranks,
        0,
        NOW.plus(Duration.ofMinutes(30)));
  }

  private static String secretKeyRef(List<EnvVar> env, String name) {
    EnvVar var = env.stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow();
    var ref = var.getValueFrom().getSecretKeyRef();
    return ref.getName() + "/" + ref.getKey();
  }

  private static Container container(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static Job trainer(JobFactory factory, Federation federation, ClientPoolSpec pool) {
    CreateTrainer action =
        new CreateTrainer(
            "demo-r1-c0",
            1,
            1,
            0,
            new ClientRef("c0", "pool", 8, "s3://data/c0.jsonl"),
            null,
            NOW.plus(Duration.ofMinutes(30)));
    return factory.trainer(federation, action, pool, target(federation), NOW);
  }

  private static Job aggregator(JobFactory factory, Federation federation) {
    CreateAggregator action =
        new CreateAggregator(
            "demo-r1-agg",
            1,
            1,
            0,
            List.of(new ClientRef("c0", "pool", 8, "s3://data/c0.jsonl")),
            List.of(1),
            List.of(8),
            0,
            NOW.plus(Duration.ofMinutes(30)));
    return factory.aggregator(federation, action, target(federation), NOW);
  }

  private static JobFactory.StorageTarget target(Federation federation) {
    return new JobFactory.StorageTarget("http://minio:9000", federation.getSpec().getStorage());
  }

  private static Federation federation(String secretRef) {
    return Serialization.unmarshal(
        """
        apiVersion: flotilla.dev/v1alpha1
        kind: Federation
        metadata: {name: demo, namespace: team-a, uid: 00000000-0000-0000-0000-000000000001}
        spec:
          baseModel: {uri: "s3://models/bert", architecture: BERT}
          task: {type: SEQUENCE_CLASSIFICATION, numLabels: 2}
          rounds: 3
          sampling: {clientsPerRound: 1, minClients: 1}
          storage: {bucket: flotilla, %s}
          clientPools: {names: [pool]}
        """
            .formatted(secretRef),
        Federation.class);
  }

  private static ClientPoolSpec pool(String image) {
    ClientPool pool =
        Serialization.unmarshal(
            """
            apiVersion: flotilla.dev/v1alpha1
            kind: ClientPool
            metadata: {name: pool, namespace: team-a}
            spec:
              rank: 8
              clients: {count: 1, dataUriTemplate: "s3://data/c{index}.jsonl"}
            """,
            ClientPool.class);
    pool.getSpec().setImage(image);
    return pool.getSpec();
  }

  private static SecretKeysRef defaultSecret(String name, String accessKey, String secretKey) {
    SecretKeysRef ref = new SecretKeysRef();
    ref.setName(name);
    ref.setAccessKeyKey(accessKey);
    ref.setSecretKeyKey(secretKey);
    return ref;
  }

  private static JobFactory factory(SecretKeysRef defaultSecret) {
    return new JobFactory(
        TestOperatorConfig.jobs(4), TestOperatorConfig.images(DEFAULT_TRAINER, DEFAULT_AGGREGATOR));
  }

  private static OperatorConfig.Storage storage(Optional<String> secretName) {
    return new OperatorConfig.Storage() {
      @Override
      public Optional<String> defaultEndpoint() {
        return Optional.empty();
      }

      @Override
      public Optional<String> defaultSecretName() {
        return secretName;
      }

      @Override
      public String defaultSecretAccessKeyKey() {
        return "ak";
      }

      @Override
      public String defaultSecretSecretKeyKey() {
        return "sk";
      }
    };
  }
}
