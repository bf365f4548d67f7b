package dev.flotilla.local.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The on-disk state of one local federation run, {@code .flotilla/<federation>/} by default: {@code
 * s3/} (the embedded object store), {@code status.json}, {@code workloads.json}, {@code logs/} and
 * {@code output/}. Held under an exclusive lock so two runs never share it.
 */
public final class Workdir implements AutoCloseable {
  private final Path root;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private Workdir(Path root, FileChannel lockChannel, FileLock lock) {
    this.root = root;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Opens (creating) and locks {@code root}.
   *
   * @throws IOException when it cannot be created, or another run holds it
   */
  public static Workdir open(Path root) throws IOException {
    Path absolute = root.toAbsolutePath().normalize();
    Files.createDirectories(absolute);
    FileChannel channel =
        FileChannel.open(
            absolute.resolve("run.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IOException("work directory " + absolute + " is in use by another flotilla run");
    }
    return new Workdir(absolute, channel, lock);
  }

  /** The work directory. */
  public Path root() {
    return root;
  }

  /** Directory of the embedded S3 server's buckets. */
  public Path s3() {
    return root.resolve("s3");
  }

  /** The persisted federation status (the local equivalent of the status subresource). */
  public Path statusFile() {
    return root.resolve("status.json");
  }

  /** The persisted workload records (the local equivalent of the Jobs). */
  public Path workloadsFile() {
    return root.resolve("workloads.json");
  }

  /** When each round started, for the summary's durations. */
  public Path roundStartsFile() {
    return root.resolve("rounds.json");
  }

  /** Log file of workload {@code name}. */
  public Path log(String name) {
    return root.resolve("logs").resolve(name + ".log");
  }

  /**
   * This run's id (created on first use, kept on resume): the uid of its ownership record in object
   * storage.
   */
  public String runId() throws IOException {
    Path file = root.resolve("run-id");
    if (!Files.exists(file)) {
      Files.writeString(file, UUID.randomUUID().toString());
    }
    return Files.readString(file).trim();
  }

  /** Where the final adapter, the metrics CSV and the plot are written. */
  public Path output() {
    return root.resolve("output");
  }

  /** The user's cache shared by all runs ({@code $FLOTILLA_CACHE} or {@code ~/.cache/flotilla}). */
  public static Path userCache() {
    String env = System.getenv("FLOTILLA_CACHE");
    return env != null && !env.isBlank()
        ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".cache", "flotilla");
  }

  /** Whether a previous run left state here. */
  public boolean hasState() {
    return Files.exists(statusFile()) || Files.exists(workloadsFile());
  }

  @Override
  public void close() throws IOException {
    lock.release();
    lockChannel.close();
  }
}
