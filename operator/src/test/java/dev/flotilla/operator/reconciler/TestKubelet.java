package dev.flotilla.operator.reconciler;

import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import dev.flotilla.core.adapter.PeftAdapterWriter;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.core.storage.ClientMetrics;
import dev.flotilla.core.storage.GrantedObjectStore;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.Sha256;
import dev.flotilla.core.storage.StorageGrant;
import dev.flotilla.core.storage.StorageJson;
import dev.flotilla.core.storage.StorageLayout;
import dev.flotilla.operator.workload.JobFactory;
import dev.flotilla.operator.workload.WorkloadLabels;
import dev.flotilla.trainer.TrainerMain;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import picocli.CommandLine;

/**
 * Plays the kubelet (and the workloads) for operator tests against the mock API server: a trainer
 * Job's arguments are parsed by the real trainer CLI, then it uploads a real PEFT adapter of its
 * rank plus {@code metrics.json} (last) and succeeds; an aggregator Job runs the real aggregator
 * CLI in a child JVM with the Job's arguments and its Secret-sourced environment; the outcome is
 * written to the Job status like the Job controller does.
 */
final class TestKubelet {

  private static final int HIDDEN = 8;

  private final KubernetesClient client;
  private final ObjectStore store;
  private final Path workDir;
  private final Map<String, String> handled = new ConcurrentHashMap<>();
  private final List<String> problems = new ArrayList<>();
  private final List<Job> seen = new ArrayList<>();
  private final Map<String, Instant> seenAt = new ConcurrentHashMap<>();
  private final Map<String, Instant> finishedAt = new ConcurrentHashMap<>();
  private Predicate<Job> failing = job -> false;
  private Predicate<Job> holding = job -> false;
  private Consumer<Job> beforeFinishing = job -> {};

  TestKubelet(KubernetesClient client, ObjectStore store, Path workDir) {
    this.client = client;
    this.store = store;
    this.workDir = workDir;
  }

  /** Trainer Jobs matching {@code failing} fail (exhausted backoff) instead of uploading. */
  TestKubelet failing(Predicate<Job> failing) {
    this.failing = failing;
    return this;
  }

  /** Jobs matching {@code holding} are left running until the predicate changes. */
  TestKubelet holding(Predicate<Job> holding) {
    this.holding = holding;
    return this;
  }

  /**
   * {@code hook} runs after a Job's workload ran (its uploads or manifest are in storage) and
   * before its terminal status is written, e.g. to kill the operator in between.
   */
  TestKubelet beforeFinishing(Consumer<Job> hook) {
    this.beforeFinishing = hook;
    return this;
  }

  /** When each Job was first seen (polling granularity), by name. */
  Map<String, Instant> seenAt() {
    return Map.copyOf(seenAt);
  }

  /** When each Job's terminal status was written, by name. */
  Map<String, Instant> finishedAt() {
    return Map.copyOf(finishedAt);
  }

  /** Every Job this kubelet has seen, first sighting order. */
  synchronized List<Job> seen() {
    return List.copyOf(seen);
  }

  /** Problems found while running workloads (a missing starting adapter, a failed aggregator). */
  synchronized List<String> problems() {
    return List.copyOf(problems);
  }

  /** Runs every new Job of {@code namespace} once; call repeatedly. */
  void step(String namespace) throws Exception {
    List<Job> jobs =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(namespace)
            .withLabel(WorkloadLabels.MANAGED_BY, WorkloadLabels.FLOTILLA)
            .list()
            .getItems();
    for (Job job : jobs) {
      String name = job.getMetadata().getName();
      String uid = job.getMetadata().getUid();
      String known = handled.get(name);
      if (known != null && !known.equals(uid)) {
        problem(job, "re-created (uid " + known + " then " + uid + ")");
        handled.put(name, uid);
      }
      if (known != null || holding.test(job)) {
        continue;
      }
      handled.put(name, uid);
      seenAt.put(name, Instant.now());
      synchronized (this) {
        seen.add(job);
      }
      String component = job.getMetadata().getLabels().get(WorkloadLabels.COMPONENT);
      boolean ok;
      if (WorkloadLabels.TRAINER.equals(component)) {
        ok = !failing.test(job) && train(job);
      } else {
        ok = aggregate(job);
      }
      beforeFinishing.accept(job);
      finish(job, ok);
      finishedAt.put(name, Instant.now());
    }
  }

  private boolean train(Job job) throws IOException {
    List<String> cli = container(job).getArgs();
    try {
      // The Job's arguments must be accepted by the real trainer CLI (parsed, not run).
      new CommandLine(new TrainerMain()).parseArgs(cli.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      problem(job, "trainer CLI rejects the Job's arguments: " + e.getMessage());
      return false;
    }
    Map<String, String> args = args(cli);
    int round = Integer.parseInt(args.get("round"));
    int rank = Integer.parseInt(args.get("rank"));
    String client = args.get("client-id");
    String startAdapter = args.get("start-adapter");
    if (round > 1 && startAdapter == null) {
      problem(job, "round " + round + " trainer has no --start-adapter");
    }
    String bucket = args.get("storage-bucket");
    // The pod sees the storage only through the grant mounted from the Job's Secret.
    Optional<StorageGrant> grant = grant(job);
    if (grant.isEmpty()) {
      problem(job, "no grant Secret: the pod would not start");
      return false;
    }
    ObjectStore granted = new GrantedObjectStore(grant.get(), bucket);
    if (startAdapter != null) {
      String key = startAdapter.substring(("s3://" + bucket + "/").length());
      if (!granted.exists(key + StorageLayout.ADAPTER_MODEL)) {
        problem(job, "starting adapter " + startAdapter + " is not readable through the grant");
      }
    }
    String output =
        new StorageLayout(bucket, args.get("storage-prefix"), args.get("federation"))
            .clientAdapterPrefix(round, client, Integer.parseInt(args.get("attempt")));
    Random random = new Random(client.hashCode() * 31L + round);
    Map<String, LoraModule> modules = new LinkedHashMap<>();
    for (String target : List.of("query", "value")) {
      String module = "encoder.layer.0.attention.self." + target;
      modules.put(
          module,
          new LoraModule(module, matrix(rank, HIDDEN, random), matrix(HIDDEN, rank, random)));
    }
    LoraAdapter adapter =
        new LoraAdapter(
            args.get("base-model"),
            TaskType.SEQ_CLS,
            Double.parseDouble(args.get("alpha")),
            Double.parseDouble(args.get("dropout")),
            List.of(args.get("target-modules").split(",")),
            modules,
            List.of(),
            Map.of());
    Path dir = Files.createTempDirectory(workDir, "upload");
    PeftAdapterWriter.write(adapter, dir);
    granted.put(output + StorageLayout.ADAPTER_MODEL, dir.resolve(StorageLayout.ADAPTER_MODEL));
    granted.put(output + StorageLayout.ADAPTER_CONFIG, dir.resolve(StorageLayout.ADAPTER_CONFIG));
    ClientMetrics metrics =
        new ClientMetrics(
            ClientMetrics.SCHEMA_VERSION,
            client,
            round,
            Integer.parseInt(args.get("attempt")),
            rank,
            100 + Math.abs(client.hashCode() % 50),
            10,
            1.0 / round + random.nextDouble() * 0.01,
            Map.of(),
            1.5,
            64L << 20,
            Sha256.hex(dir.resolve(StorageLayout.ADAPTER_MODEL)),
            Sha256.hex(dir.resolve(StorageLayout.ADAPTER_CONFIG)));
    granted.put(output + StorageLayout.METRICS, StorageJson.write(metrics));
    return true;
  }

  /** The storage grant in the Job's own Secret, as the kubelet would mount it. */
  private Optional<StorageGrant> grant(Job job) throws IOException {
    Secret secret =
        client
            .secrets()
            .inNamespace(job.getMetadata().getNamespace())
            .withName(job.getMetadata().getName())
            .get();
    if (secret == null) {
      return Optional.empty();
    }
    String json =
        secret.getStringData() != null && secret.getStringData().containsKey(JobFactory.GRANT_FILE)
            ? secret.getStringData().get(JobFactory.GRANT_FILE)
            : new String(
                Base64.getDecoder().decode(secret.getData().get(JobFactory.GRANT_FILE)),
                StandardCharsets.UTF_8);
    return Optional.of(
        StorageJson.read(json.getBytes(StandardCharsets.UTF_8), StorageGrant.class, "grant"));
  }

  /** Runs {@code dev.flotilla.aggregator.AggregatorMain} with the Job's args and env. */
  private boolean aggregate(Job job) throws Exception {
    Container container = container(job);
    Map<String, String> parsed = args(container.getArgs());
    String manifest =
        new StorageLayout(
                parsed.get("storage-bucket"),
                parsed.get("storage-prefix"),
                parsed.get("federation"))
            .manifestKey(Integer.parseInt(parsed.get("round")));
    if (store.exists(manifest)) {
      problem(job, "aggregator started for a round already committed (" + manifest + ")");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.flotilla.aggregator.AggregatorMain");
    List<String> args = new ArrayList<>(container.getArgs());
    int workDirIndex = args.indexOf("--work-dir");
    if (workDirIndex >= 0) {
      args.set(workDirIndex + 1, Files.createTempDirectory(workDir, "aggregator").toString());
    }
    Optional<StorageGrant> grant = grant(job);
    int grantIndex = args.indexOf("--grant");
    if (grant.isEmpty() || grantIndex < 0) {
      problem(job, "aggregator without a grant Secret: the pod would not start");
      return false;
    }
    Path grantFile = Files.createTempFile(workDir, "grant", ".json");
    Files.write(grantFile, StorageJson.write(grant.get()));
    args.set(grantIndex + 1, grantFile.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env(job, container));
    Path log = Files.createTempFile(workDir, "aggregator", ".log");
    builder.redirectOutput(log.toFile());
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      problem(job, "aggregator timed out");
      return false;
    }
    if (process.exitValue() != 0) {
      problem(job, "aggregator exited " + process.exitValue() + ": " + Files.readString(log));
      return false;
    }
    return true;
  }

  /** Resolves the container env like a kubelet: plain values and Secret keys. */
  private Map<String, String> env(Job job, Container container) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar var : container.getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      } else if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
        var ref = var.getValueFrom().getSecretKeyRef();
        Secret secret =
            client
                .secrets()
                .inNamespace(job.getMetadata().getNamespace())
                .withName(ref.getName())
                .get();
        env.put(
            var.getName(),
            new String(
                Base64.getDecoder().decode(secret.getData().get(ref.getKey())),
                StandardCharsets.UTF_8));
      }
    }
    env.remove("HOME");
    return env;
  }

  /** Writes the Job's terminal status, as the Job controller would. */
  private void finish(Job job, boolean succeeded) {
    String now = Instant.now().toString();
    JobCondition condition =
        new JobConditionBuilder()
            .withType(succeeded ? "Complete" : "Failed")
            .withStatus("True")
            .withReason(succeeded ? null : "BackoffLimitExceeded")
            .withLastTransitionTime(now)
            .build();
    Job current =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(job.getMetadata().getNamespace())
            .withName(job.getMetadata().getName())
            .get();
    if (current == null) {
      return;
    }
    current.setStatus(
        new JobStatusBuilder()
            .withStartTime(now)
            .withCompletionTime(succeeded ? now : null)
            .withSucceeded(succeeded ? 1 : 0)
            .withFailed(succeeded ? 0 : 2)
            .withActive(0)
            .withConditions(condition)
            .build());
    client.batch().v1().jobs().resource(current).updateStatus();
  }

  private synchronized void problem(Job job, String message) {
    problems.add(job.getMetadata().getName() + ": " + message);
  }

  private static Container container(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  /** {@code --name value} pairs as a map. */
  static Map<String, String> args(List<String> args) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.size(); i += 2) {
      out.put(args.get(i).substring(2), args.get(i + 1));
    }
    return out;
  }

  private static FloatTensor matrix(int rows, int cols, Random random) {
    float[] data = new float[rows * cols];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (random.nextGaussian() * 0.05);
    }
    return new FloatTensor(new int[] {rows, cols}, data);
  }
}
