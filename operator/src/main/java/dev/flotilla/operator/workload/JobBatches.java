package dev.flotilla.operator.workload;

import dev.flotilla.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Creates and deletes Jobs with at most {@code flotilla.jobs.create-parallelism} API calls in
 * flight, so a 1,000-client round is scheduled in seconds without flooding the API server. A Job
 * that already exists (HTTP 409) counts as created and a missing one as deleted: both operations
 * are idempotent.
 */
@ApplicationScoped
public class JobBatches {

  private final ExecutorService executor;

  /** Batches sized by the operator configuration. */
  @Inject
  public JobBatches(OperatorConfig config) {
    this(config.jobs().createParallelism());
  }

  /** Batches run by {@code parallelism} worker threads. */
  public JobBatches(int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException(
          "flotilla.jobs.create-parallelism must be >= 1, got " + parallelism);
    }
    this.executor = Executors.newFixedThreadPool(parallelism, daemonThreads());
  }

  /** What happened to a batch of creations. */
  public record Outcome(int created, int alreadyExisted, List<Failure> failures) {}

  /** One Job that could not be created, with the API server's message. */
  public record Failure(String jobName, String message) {}

  /**
   * Creates every Job through {@code create} (e.g. a caching create of the reconciler context) and
   * waits for the API calls to return; never throws for a single failed Job.
   */
  public Outcome createAll(List<Job> jobs, UnaryOperator<Job> create) throws InterruptedException {
    List<Future<Result>> futures = new ArrayList<>(jobs.size());
    for (Job job : jobs) {
      futures.add(executor.submit(() -> createOne(job, create)));
    }
    int created = 0;
    int existed = 0;
    List<Failure> failures = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      Result result;
      try {
        result = futures.get(i).get();
      } catch (ExecutionException e) {
        result = Result.failed(String.valueOf(e.getCause()));
      }
      switch (result.kind) {
        case CREATED -> created++;
        case EXISTED -> existed++;
        case FAILED ->
            failures.add(new Failure(jobs.get(i).getMetadata().getName(), result.message));
      }
    }
    return new Outcome(created, existed, List.copyOf(failures));
  }

  /**
   * Deletes the named Jobs through {@code delete} (which returns normally when the Job is already
   * gone) and waits for the API calls to return; returns the failures.
   */
  public List<Failure> deleteAll(List<String> names, Consumer<String> delete)
      throws InterruptedException {
    List<Future<String>> futures = new ArrayList<>(names.size());
    for (String name : names) {
      futures.add(
          executor.submit(
              () -> {
                try {
                  delete.accept(name);
                  return null;
                } catch (KubernetesClientException e) {
                  return "HTTP " + e.getCode() + ": " + e.getMessage();
                }
              }));
    }
    List<Failure> failures = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      String error;
      try {
        error = futures.get(i).get();
      } catch (ExecutionException e) {
        error = String.valueOf(e.getCause());
      }
      if (error != null) {
        failures.add(new Failure(names.get(i), error));
      }
    }
    return List.copyOf(failures);
  }

  private static Result createOne(Job job, UnaryOperator<Job> create) {
    try {
      create.apply(job);
      return Result.CREATED_RESULT;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return Result.EXISTED_RESULT;
      }
      return Result.failed("HTTP " + e.getCode() + ": " + e.getMessage());
    }
  }

  /** Stops the worker threads. */
  @PreDestroy
  public void close() {
    executor.shutdownNow();
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "flotilla-jobs-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private enum Kind {
    CREATED,
    EXISTED,
    FAILED
  }

  private record Result(Kind kind, String message) {
    static final Result CREATED_RESULT = new Result(Kind.CREATED, null);
    static final Result EXISTED_RESULT = new Result(Kind.EXISTED, null);

    static Result failed(String message) {
      return new Result(Kind.FAILED, message);
    }
  }
}
