package dev.flotilla.aggregator;

import static dev.flotilla.aggregator.RoundFixture.RANK;
import static dev.flotilla.aggregator.RoundFixture.ROUND;
import static dev.flotilla.aggregator.RoundFixture.adapter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.aggregator.RoundFixture.AdapterFiles;
import dev.flotilla.core.storage.EmbeddedS3Server;
import dev.flotilla.core.storage.S3ObjectStore;
import dev.flotilla.core.workload.WorkloadEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregator program in its own JVM with a small heap ({@code -Xmx256m}) against a real S3
 * server: uploads built to exhaust memory are rejected without reading them whole, the round
 * commits, and a genuine OutOfMemoryError ends the process at once with exit code 1.
 */
class AggregatorHeapTest {
  private static final String BUCKET = "heap";
  private static final String EVIL = "a-evil";
  private static final List<String> GOOD = List.of("b-good", "c-good", "d-good");
  private static final AtomicInteger FEDERATIONS = new AtomicInteger();

  private static EmbeddedS3Server server;
  private static S3ObjectStore store;

  @TempDir Path scratch;
  private RoundFixture round;

  @BeforeAll
  static void startS3() throws Exception {
    server = EmbeddedS3Server.startInMemory();
    store = S3ObjectStore.open(server.settings(BUCKET));
  }

  @AfterAll
  static void stopS3() throws Exception {
    store.close();
    server.close();
  }

  @BeforeEach
  void newFederation() {
    round = new RoundFixture(store, BUCKET, "heap-" + FEDERATIONS.incrementAndGet(), scratch);
  }

  @Test
  void aTinyFileDeclaringAHugeTensorIsRejected() throws Exception {
    withHonestClients();
    long elements = 4L * 500_000_000L;
    String header =
        "{\"base_model.model.layer.0.query.lora_A.weight\":{\"dtype\":\"F32\",\"shape\":[4,"
            + 500_000_000L
            + "],\"data_offsets\":[0,"
            + elements * 4
            + "]}}";
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    byte[] weights =
        ByteBuffer.allocate(8 + json.length + 64)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(json.length)
            .put(json)
            .array();
    AdapterFiles files = new AdapterFiles(weights, round.files(adapter(9, RANK)).config());
    round.upload(EVIL, files.weights(), files.config(), RoundFixture.metrics(EVIL, RANK, files));

    Run run = aggregate("-Xmx256m");

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(round.accepted()).containsExactlyElementsOf(GOOD);
    assertThat(round.rejections().get(EVIL)).contains("data buffer");
  }

  @Test
  void aHugeMetricsJsonIsRejected() throws Exception {
    withHonestClients();
    AdapterFiles files = round.files(adapter(9, RANK));
    round.upload(EVIL, files.weights(), files.config(), null);
    byte[] start =
        ("{\"schemaVersion\":2,\"clientId\":\"" + EVIL + "\",\"padding\":\"")
            .getBytes(StandardCharsets.UTF_8);
    long length = 300L << 20;
    store.put(round.layout.clientMetrics(ROUND, EVIL, 1), new Padded(start, length), length);

    Run run = aggregate("-Xmx256m");

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(round.accepted()).containsExactlyElementsOf(GOOD);
    assertThat(round.rejections().get(EVIL)).contains("metrics.json is " + length + " bytes");
  }

  @Test
  void anOutOfMemoryErrorEndsTheProcessAtOnceWithExitCode1() throws Exception {
    List<String> clients = List.of("b-good", "c-good", "d-good", "e-good", "f-good", "g-good");
    round.plan(clients);
    for (int i = 0; i < clients.size(); i++) {
      round.upload(clients.get(i), adapter(i + 1, RANK, 375_000));
    }

    Run run = aggregate("-Xmx64m");

    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertThat(run.output()).contains("OutOfMemoryError");
    assertThat(run.elapsed()).isLessThan(Duration.ofSeconds(20));
  }

  private void withHonestClients() throws IOException {
    round.plan(List.of(EVIL, "b-good", "c-good", "d-good"));
    for (int i = 0; i < GOOD.size(); i++) {
      round.upload(GOOD.get(i), adapter(i + 1, RANK));
    }
  }

  /** How one aggregator process ended. */
  private record Run(int exitCode, String output, Duration elapsed) {}

  private Run aggregate(String heap) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(heap);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(AggregatorMain.class.getName());
    command.addAll(
        List.of(
            "--federation",
            round.layout.federation(),
            "--round",
            Integer.toString(ROUND),
            "--attempt",
            Integer.toString(RoundFixture.ATTEMPT),
            "--strategy",
            "FLEXLORA",
            "--global-rank",
            Integer.toString(RoundFixture.GLOBAL_RANK),
            "--alpha",
            Double.toString(RoundFixture.ALPHA),
            "--task-type",
            RoundFixture.TASK.name(),
            "--base-model-name",
            RoundFixture.BASE_MODEL,
            "--ranks",
            Integer.toString(RANK),
            "--linalg",
            "java",
            "--storage-endpoint",
            server.endpoint(),
            "--storage-bucket",
            BUCKET,
            "--storage-prefix",
            round.layout.prefix(),
            "--work-dir",
            scratch.resolve("work").toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put(WorkloadEnvironment.ACCESS_KEY, EmbeddedS3Server.ACCESS_KEY);
    builder.environment().put(WorkloadEnvironment.SECRET_KEY, EmbeddedS3Server.SECRET_KEY);
    Path log = Files.createTempFile(scratch, "aggregator", ".log");
    builder.redirectOutput(log.toFile());
    long started = System.nanoTime();
    Process process = builder.start();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("aggregator still running after 90 s:\n" + Files.readString(log));
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    return new Run(process.exitValue(), Files.readString(log), elapsed);
  }

  /** {@code start} followed by {@code 'x'} up to {@code length} bytes, generated as read. */
  private static final class Padded extends InputStream {
    private final byte[] start;
    private final long length;
    private long position;

    Padded(byte[] start, long length) {
      this.start = start;
      this.length = length;
    }

    @Override
    public int read() {
      if (position >= length) {
        return -1;
      }
      int b = position < start.length ? start[(int) position] : 'x';
      position++;
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) {
      if (position >= length) {
        return -1;
      }
      int n = (int) Math.min(count, length - position);
      if (position >= start.length) {
        Arrays.fill(buffer, offset, offset + n, (byte) 'x');
        position += n;
        return n;
      }
      for (int i = 0; i < n; i++) {
        buffer[offset + i] = (byte) read();
      }
      return n;
    }
  }
}
