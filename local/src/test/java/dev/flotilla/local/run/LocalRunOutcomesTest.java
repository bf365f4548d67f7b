package dev.flotilla.local.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.local.FlotillaMain;
import dev.flotilla.local.process.JavaCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a real local run ends and what it prints when clients fail: a client failing every round is
 * named on the console and makes a Completed run Degraded; a run with no committed round writes no
 * empty metrics; the console and the workload logs are quiet, timestamped lines (no duplicate SLF4J
 * provider, no CUDA warning on CPU, no embedded S3 INFO lines), the aggregator saying what it
 * merged and which client it missed.
 */
class LocalRunOutcomesTest {
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  /**
   * Makes {@code file} 1,000 valid examples and then a broken line: past the sample {@code
   * validate} and {@code run} read, so only the trainer finds it.
   */
  private static void breakAfterTheSample(Path file) throws IOException {
    List<String> valid = Files.readAllLines(file);
    List<String> lines = new ArrayList<>();
    while (lines.size() < 1000) {
      lines.add(valid.get(lines.size() % valid.size()));
    }
    lines.add("this line is not JSON");
    Files.write(file, lines);
  }

  private record Run(int exit, String output, Path workdir) {}

  private static Run run(Path manifest) throws Exception {
    Path workdir = manifest.resolveSibling("work");
    Path out = manifest.resolveSibling("console.txt");
    ProcessBuilder builder =
        new ProcessBuilder(
            new JavaCommand(JAVA, System.getProperty("java.class.path"), List.of("-Xmx512m"))
                .command(
                    FlotillaMain.class.getName(),
                    List.of(
                        "run",
                        manifest.toString(),
                        "--workdir",
                        workdir.toString(),
                        "--parallel",
                        "2",
                        "--threads",
                        "1")));
    builder.redirectErrorStream(true);
    builder.redirectOutput(out.toFile());
    Process p = builder.start();
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("runtime finished").isTrue();
    return new Run(p.exitValue(), Files.readString(out), workdir);
  }

  private static String log(Path workdir, String contains) throws IOException {
    try (Stream<Path> logs = Files.list(workdir.resolve("logs"))) {
      Path file =
          logs.filter(f -> f.getFileName().toString().contains(contains)).findFirst().orElseThrow();
      return Files.readString(file);
    }
  }

  @Test
  void aClientThatFailsEveryRoundIsNamedAndTheRunEndsDegradedWithQuietTimestampedLogs()
      throws Exception {
    Path manifest = TinyFederation.write(dir, 1);
    breakAfterTheSample(dir.resolve("data/client-1.jsonl"));

    Run r = run(manifest);

    assertThat(r.exit()).as(r.output()).isZero();
    String console = r.output();
    assertThat(console)
        .containsPattern(
            "\\d\\d:\\d\\d:\\d\\d warning: client client-1: \\S+ failed: \\S*client-1\\.jsonl:1001:"
                + " malformed JSON")
        .contains("warning: degraded: ClientsFailing: 1 client(s)")
        .contains("client-1 (1 round(s): trainer failed")
        .contains("majority-class baseline: accuracy 0.5000")
        .doesNotContain("SLF4J")
        .doesNotContain("org.gaul")
        .doesNotContain("jetty");
    assertThat(console).containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d RoundCommitted: round 1");

    String trainer = log(r.workdir(), "client-0");
    assertThat(trainer)
        .doesNotContain("SLF4J")
        .doesNotContain("CUDA")
        .containsPattern(
            "(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S* INFO .*client client-0 round 1");
    String aggregator = log(r.workdir(), "agg");
    assertThat(aggregator)
        .doesNotContain("SLF4J")
        .doesNotContain("CUDA")
        .contains("no upload from client client-1")
        .containsPattern("round 1: FLEXLORA merged 2 client\\(s\\) of ranks \\[2, 4, 8\\]");
  }

  @Test
  void aRunWithNoCommittedRoundWritesNoEmptyMetrics() throws Exception {
    Path manifest = TinyFederation.write(dir, 1);
    for (int c = 0; c < 3; c++) {
      breakAfterTheSample(dir.resolve("data/client-" + c + ".jsonl"));
    }

    Run r = run(manifest);

    assertThat(r.exit()).as(r.output()).isEqualTo(1);
    assertThat(r.output())
        .contains("no round committed: no metrics written")
        .doesNotContain("round  sampled");
    Path output = r.workdir().resolve("output");
    assertThat(output.resolve("metrics.csv")).doesNotExist();
    assertThat(output.resolve("metrics.png")).doesNotExist();
  }
}
