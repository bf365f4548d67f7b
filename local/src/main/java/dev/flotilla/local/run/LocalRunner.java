package dev.flotilla.local.run;

import dev.flotilla.core.protocol.Action;
import dev.flotilla.core.protocol.ActionHandler;
import dev.flotilla.core.protocol.Decision;
import dev.flotilla.core.protocol.DecisionApplier;
import dev.flotilla.core.protocol.Observation;
import dev.flotilla.core.protocol.RoundProtocol;
import dev.flotilla.core.protocol.WorkloadKind;
import dev.flotilla.core.protocol.WorkloadState;
import dev.flotilla.core.spec.Condition;
import dev.flotilla.core.spec.ConditionStatus;
import dev.flotilla.core.spec.FederationConditions;
import dev.flotilla.core.spec.FederationPhase;
import dev.flotilla.core.spec.FederationStatus;
import dev.flotilla.core.spec.RoundSummary;
import dev.flotilla.core.storage.FederationOwner;
import dev.flotilla.core.storage.ForeignDataException;
import dev.flotilla.core.storage.RoundManifest;
import dev.flotilla.core.storage.RoundStore;
import dev.flotilla.core.storage.S3ObjectStore;
import dev.flotilla.core.storage.S3Settings;
import dev.flotilla.core.storage.StorageGrant;
import dev.flotilla.core.storage.StorageJson;
import dev.flotilla.core.storage.StorageLayout;
import dev.flotilla.core.workload.AggregatorInvocation;
import dev.flotilla.core.workload.ExitCode;
import dev.flotilla.core.workload.RetryPolicy;
import dev.flotilla.core.workload.S3GrantSigner;
import dev.flotilla.core.workload.TrainerInvocation;
import dev.flotilla.core.workload.WorkloadGrants;
import dev.flotilla.local.process.ProcessPool;
import dev.flotilla.local.report.ProgressDisplay;
import dev.flotilla.local.report.RoundResult;
import dev.flotilla.local.report.SummaryTable;
import dev.flotilla.local.s3.EmbeddedS3Server;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Runs a federation on this machine with the operator's round protocol: observe (status file,
 * workload table, manifests in the embedded store) → decide → persist status, then apply the
 * actions as local processes and object writes ({@link DecisionApplier}, the operator's order) →
 * wait for a process exit or the requeue time → decide again, until the federation completes or
 * fails. A failed process runs again as the {@link RetryPolicy} says, as a Job's pod would.
 */
public final class LocalRunner {
  /** Exit code of a completed federation. */
  public static final int COMPLETED = 0;

  /** Exit code of a failed federation. */
  public static final int FAILED = 1;

  /** Exit code of an invalid spec. */
  public static final int INVALID = 2;

  private static final Duration POLL = Duration.ofMillis(200);

  /** The namespace local runs record in their ownership record. */
  static final String LOCAL_NAMESPACE = "local";

  /**
   * Run options.
   *
   * @param parallel workloads running at once
   * @param threadsPerProcess PyTorch threads of each workload (CPUs of each container)
   * @param launcher how workloads start: as processes or as containers
   */
  public record Options(int parallel, int threadsPerProcess, WorkloadLauncher.Factory launcher) {}

  private final FederationBundle bundle;
  private final Workdir workdir;
  private final Options options;
  private final PrintStream out;
  private final ProgressDisplay display;
  private final RetryPolicy retries = new RetryPolicy(RetryPolicy.DEFAULT_BACKOFF_LIMIT);
  private final Map<String, ProcessPool.Spec> started = new HashMap<>();

  private final Map<Integer, String> roundStarts = new TreeMap<>();
  private WorkloadTable table;
  private FederationStatus status;
  private RoundStore rounds;
  private WorkloadLauncher launcher;
  private ProcessPool pool;
  private S3ObjectStore store;
  private S3Settings storeSettings;

  /** A runner for {@code bundle} in the locked {@code workdir}. */
  public LocalRunner(
      FederationBundle bundle,
      Workdir workdir,
      Options options,
      PrintStream out,
      ProgressDisplay display) {
    this.bundle = bundle;
    this.workdir = workdir;
    this.options = options;
    this.out = out;
    this.display = display;
  }

  /**
   * Runs (or resumes, when the work directory has state) to the end.
   *
   * @return {@link #COMPLETED}, {@link #FAILED} or {@link #INVALID}
   */
  public int run() throws IOException, InterruptedException {
    status = JsonFiles.read(workdir.statusFile(), FederationStatus.class).orElse(null);
    table = WorkloadTable.load(workdir.workloadsFile());
    JsonFiles.read(workdir.roundStartsFile(), RoundStarts.class)
        .ifPresent(r -> roundStarts.putAll(r.started()));
    int reaped = OrphanReaper.reap(table);
    if (reaped > 0) {
      display.message("stopped " + reaped + " workload(s) left running by the interrupted run");
    }
    String bucket = bundle.spec().getStorage().getBucket();
    try (EmbeddedS3Server s3 = EmbeddedS3Server.start(workdir.s3(), bucket);
        ProcessPool processes = new ProcessPool(options.parallel())) {
      pool = processes;
      Thread hook = new Thread(() -> interrupted(processes), "flotilla-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      storeSettings = settings(s3, bucket);
      store = S3ObjectStore.open(storeSettings);
      try {
        return runWith(s3, bucket);
      } finally {
        display.finish();
        closeStore();
        removeHook(hook);
      }
    }
  }

  private int runWith(EmbeddedS3Server s3, String bucket) throws IOException, InterruptedException {
    StorageLayout layout =
        new StorageLayout(bucket, bundle.spec().getStorage().getPrefix(), bundle.name());
    rounds = new RoundStore(store, layout);
    try {
      rounds.claim(FederationOwner.of(LOCAL_NAMESPACE, bundle.name(), workdir.runId()));
    } catch (ForeignDataException e) {
      display.message("invalid federation " + bundle.name() + ": " + e.getMessage());
      return INVALID;
    }
    launcher =
        options
            .launcher()
            .open(
                bundle,
                new WorkloadCommands.Environment(
                    s3.endpoint(),
                    options.threadsPerProcess(),
                    Workdir.userCache(),
                    workdir.root().resolve("scratch")));
    int code = loop();
    display.finish();
    if (code != INVALID) {
      finish(layout);
    }
    return code;
  }

  /** Shutdown hook (Ctrl-C, SIGTERM): stop the children; committed rounds stay committed. */
  private void interrupted(ProcessPool processes) {
    processes.close();
    display.finish();
    System.err.println(
        "flotilla: interrupted; workloads stopped. Continue with: flotilla run --resume --workdir "
            + workdir.root()
            + " <file>");
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook runs (or ran) and stops the children
    }
  }

  private void closeStore() throws IOException {
    try {
      store.close();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("closing the storage client failed: " + e.getMessage(), e);
    }
  }

  private static S3Settings settings(EmbeddedS3Server s3, String bucket) {
    return new S3Settings(
        s3.endpoint(), "us-east-1", s3.accessKey(), s3.secretKey(), bucket, true, true);
  }

  private int loop() throws IOException, InterruptedException {
    while (true) {
      drainProcesses();
      Decision decision = RoundProtocol.decide(observe());
      DecisionApplier.apply(status, decision, this::persist, new ProcessActions());
      status = decision.status();
      recordRoundStart();
      showProgress();
      Optional<String> invalid = invalidSpec(status);
      if (invalid.isPresent()) {
        display.message("invalid federation " + bundle.name() + ": " + invalid.get());
        return INVALID;
      }
      if (status.getPhase() == FederationPhase.Completed) {
        return COMPLETED;
      }
      if (status.getPhase() == FederationPhase.Failed) {
        return FAILED;
      }
      waitForChange(decision.requeueAfter());
    }
  }

  /** Remembers when each round was first seen in progress (wall clock, survives resume). */
  private void recordRoundStart() throws IOException {
    RoundSummary r = status.getRound();
    if (r != null && r.getRound() != null && !roundStarts.containsKey(r.getRound())) {
      roundStarts.put(r.getRound(), Instant.now().toString());
      JsonFiles.write(workdir.roundStartsFile(), new RoundStarts(roundStarts));
    }
  }

  /** The persisted start times of the rounds, by round number. */
  record RoundStarts(Map<Integer, String> started) {}

  private Observation observe() throws IOException {
    RoundProtocol.ManifestProbe probe = RoundProtocol.manifestProbe(bundle.spec(), status);
    Optional<RoundManifest> latest = rounds.latestCommitted(probe.from(), probe.downTo());
    return new Observation(
        bundle.name(),
        1,
        bundle.spec(),
        status,
        bundle.pools(),
        table.observed(),
        latest,
        Instant.now());
  }

  /** Builds a grant with a signer. */
  @FunctionalInterface
  private interface GrantMaker {
    StorageGrant make(S3GrantSigner signer) throws IOException;
  }

  /**
   * Signs a workload's grant with the embedded store's key (valid until its deadline) and writes it
   * where the launch says the workload reads it, with the launch's permissions (the file is created
   * readable by this user only and replaced atomically). The one place a local grant is written.
   */
  private void writeGrant(WorkloadLauncher.Launch<?> launch, Instant deadline, GrantMaker maker)
      throws IOException {
    Duration validity = Duration.between(Instant.now(), deadline);
    StorageGrant grant;
    try (S3GrantSigner signer = new S3GrantSigner(store, storeSettings, validity)) {
      grant = maker.make(signer);
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("signing a storage grant failed: " + e.getMessage(), e);
    }
    Path path = launch.grantFile().toAbsolutePath();
    Files.createDirectories(path.getParent());
    Path temp =
        Files.createTempFile(
            path.getParent(),
            ".grant",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.write(temp, StorageJson.write(grant));
      Files.setPosixFilePermissions(
          temp, PosixFilePermissions.fromString(launch.grantPermissions()));
      Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private boolean persist(FederationStatus next) throws IOException {
    JsonFiles.write(workdir.statusFile(), next);
    return true;
  }

  /** Carries out actions as local processes, object writes and console lines. */
  private final class ProcessActions implements ActionHandler<IOException> {
    @Override
    public boolean writePlan(Action.WritePlan plan) throws IOException {
      store.put(plan.key(), StorageJson.write(plan.plan()));
      return true;
    }

    @Override
    public boolean createTrainer(Action.CreateTrainer trainer) throws IOException {
      if (table.get(trainer.name()).isPresent()) {
        return true;
      }
      WorkloadLauncher.Launch<TrainerInvocation> launch =
          launcher.trainer(trainer, workdir.log(trainer.name()));
      writeGrant(
          launch,
          trainer.deadline(),
          signer ->
              WorkloadGrants.trainer(
                  launch.invocation(), rounds.layout(), signer, trainer.deadline()));
      create(
          WorkloadRecord.pending(
              trainer.name(),
              WorkloadKind.TRAINER,
              trainer.round(),
              trainer.attempt(),
              trainer.client().id()),
          launch.process());
      return true;
    }

    @Override
    public boolean createAggregator(Action.CreateAggregator aggregator) throws IOException {
      if (table.get(aggregator.name()).isPresent()) {
        return true;
      }
      WorkloadLauncher.Launch<AggregatorInvocation> launch =
          launcher.aggregator(aggregator, workdir.log(aggregator.name()));
      writeGrant(
          launch,
          aggregator.deadline(),
          signer ->
              WorkloadGrants.aggregator(
                  launch.invocation(), rounds.layout(), signer, aggregator.deadline()));
      create(
          WorkloadRecord.pending(
              aggregator.name(),
              WorkloadKind.AGGREGATOR,
              aggregator.round(),
              aggregator.attempt(),
              null),
          launch.process());
      return true;
    }

    @Override
    public boolean deleteWorkload(Action.DeleteWorkload delete) throws IOException {
      pool.kill(delete.name());
      started.remove(delete.name());
      table.remove(delete.name());
      return true;
    }

    @Override
    public boolean emitEvent(Action.EmitEvent event) {
      display.message(
          (event.type() == Action.EventType.Warning ? "warning: " : "")
              + event.reason()
              + ": "
              + event.message());
      return true;
    }
  }

  private void create(WorkloadRecord record, ProcessPool.Spec spec) throws IOException {
    table.put(record);
    started.put(record.name(), spec);
    pool.submit(spec);
  }

  /** Records exits and starts; returns whether a workload exited. */
  private boolean drainProcesses() throws IOException {
    List<ProcessPool.Exit> exits = pool.poll();
    for (ProcessPool.Exit exit : exits) {
      Optional<WorkloadRecord> record = table.exited(exit.id(), exit.exitCode(), retries);
      if (exit.exitCode() != 0) {
        boolean again = record.map(r -> r.state() == WorkloadState.PENDING).orElse(false);
        String who =
            record.map(WorkloadRecord::clientId).map(id -> "client " + id + ": ").orElse("");
        display.message(
            "warning: "
                + who
                + exit.id()
                + " failed"
                + FailureReason.of(exit.log()).map(r -> ": " + r).orElse("")
                + " (exit code "
                + exit.exitCode()
                + ", "
                + ExitCode.reason(exit.exitCode())
                + (again ? ", running it again" : "")
                + "; log: "
                + exit.log()
                + ")");
        if (again && started.containsKey(exit.id())) {
          pool.submit(started.get(exit.id()));
        }
      }
    }
    for (WorkloadRecord r : table.unfinished()) {
      if (r.state() == WorkloadState.PENDING && pool.isRunning(r.name())) {
        table.started(r.name(), pool.pid(r.name()).orElseThrow());
      }
    }
    return !exits.isEmpty();
  }

  private void waitForChange(Optional<Duration> requeueAfter)
      throws IOException, InterruptedException {
    Instant until = requeueAfter.map(d -> Instant.now().plus(d)).orElse(Instant.MAX);
    while (Instant.now().isBefore(until)) {
      if (drainProcesses()) {
        return;
      }
      showProgress();
      Thread.sleep(POLL.toMillis());
    }
  }

  private void showProgress() {
    RoundSummary r = status.getRound();
    if (r == null) {
      return;
    }
    OptionalDouble loss = OptionalDouble.empty();
    OptionalDouble accuracy = OptionalDouble.empty();
    if (status.getHistory() != null && !status.getHistory().isEmpty()) {
      RoundSummary last = status.getHistory().get(status.getHistory().size() - 1);
      loss = last.getMeanTrainLoss() == null ? loss : OptionalDouble.of(last.getMeanTrainLoss());
      accuracy = last.getEvalMetric() == null ? accuracy : OptionalDouble.of(last.getEvalMetric());
    }
    display.show(
        new ProgressDisplay.Progress(
            orZero(r.getRound()),
            orZero(bundle.spec().getRounds()),
            String.valueOf(status.getPhase()),
            orZero(r.getSampled()),
            orZero(r.getSucceeded()),
            orZero(r.getFailed()),
            pool.runningCount(),
            loss,
            accuracy));
  }

  private static Optional<String> invalidSpec(FederationStatus status) {
    if (status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream()
        .filter(c -> FederationConditions.DEGRADED.equals(c.getType()))
        .filter(c -> c.getStatus() == ConditionStatus.True)
        .filter(c -> "InvalidSpec".equals(c.getReason()))
        .map(Condition::getMessage)
        .findFirst();
  }

  private void finish(StorageLayout layout) throws IOException {
    int last = orZero(status.getLastCommittedRound());
    List<RoundResult> results =
        RunReport.results(rounds, orZero(bundle.spec().getRounds()), roundStarts);
    if (!results.isEmpty()) {
      RunReport.write(workdir.output(), bundle.name(), store, layout, last, results);
      out.println();
      out.print(SummaryTable.render(results));
      MajorityBaseline.of(bundle).ifPresent(b -> out.println(b.describe()));
      out.println();
    }
    out.println("federation " + bundle.name() + ": " + status.getPhase() + describe(status));
    degraded(status).ifPresent(d -> out.println("warning: degraded: " + d));
    if (last > 0) {
      out.println("final adapter (PEFT): " + workdir.output().resolve("adapter"));
    }
    if (results.isEmpty()) {
      out.println("no round committed: no metrics written");
    } else {
      out.println(
          "metrics: "
              + workdir.output().resolve("metrics.csv")
              + ", "
              + workdir.output().resolve("metrics.png"));
    }
  }

  /** The message of a Degraded=True condition of a completed federation (e.g. ClientsFailing). */
  private static Optional<String> degraded(FederationStatus status) {
    if (status.getPhase() != FederationPhase.Completed || status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream()
        .filter(c -> FederationConditions.DEGRADED.equals(c.getType()))
        .filter(c -> c.getStatus() == ConditionStatus.True)
        .map(c -> c.getReason() + ": " + c.getMessage())
        .findFirst();
  }

  private static String describe(FederationStatus status) {
    if (status.getConditions() == null) {
      return "";
    }
    return status.getConditions().stream()
        .filter(c -> FederationConditions.READY.equals(c.getType()))
        .findFirst()
        .map(c -> " (" + c.getReason() + ": " + c.getMessage() + ")")
        .orElse("");
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
