package dev.flotilla.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.workload.ExitCode;
import dev.flotilla.model.testing.TinyData;
import dev.flotilla.model.testing.TinyModels;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM (Kubernetes) to a real trainer in the middle of training: it stops at a step boundary and
 * exits with 128 + 15 (retriable), with no native crash and no {@code hs_err_pid*.log} in its
 * working directory. Before the fix the JVM exited while the main thread ran a libtorch backward
 * pass, which crashed in {@code at::accelerator::getAccelerator} in most of these runs.
 */
class TrainerSignalTest {
  private static final int SIGTERM_EXIT = 128 + 15;
  private static final int SIGKILL_EXIT = 128 + 9;
  private static final int RUNS = 4;

  @TempDir static Path dir;

  @BeforeAll
  static void model() throws Exception {
    TinyModels.bert(dir.resolve("tiny-bert"), 1);
    TinyData.sentiment(dir.resolve("a.jsonl"), 400, 3);
  }

  /** Starts a long training run in {@code cwd}; returns once it logged its training set. */
  private static Training startTraining(Path cwd, List<String> output) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                // The default SIGTERM disposition, as under Kubernetes or a shell, whatever this
                // test JVM inherited: a JVM started with SIGTERM ignored installs no handler.
                "/bin/sh",
                "-c",
                "trap - TERM INT; exec \"$@\"",
                "sh",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                TrainerMain.class.getName(),
                "--federation",
                "f",
                "--round",
                "1",
                "--client-id",
                "a",
                "--rank",
                "4",
                "--max-steps",
                "100000",
                "--batch-size",
                "32",
                "--threads",
                "2",
                "--base-model",
                dir.resolve("tiny-bert").toString(),
                "--data",
                dir.resolve("a.jsonl").toString(),
                "--output-dir",
                cwd.resolve("out").toString(),
                "--cache-dir",
                dir.resolve("cache").toString()));
    Process process =
        new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    Thread reader =
        new Thread(
            () -> {
              try {
                for (String line; (line = lines.readLine()) != null; ) {
                  synchronized (output) {
                    output.add(line);
                  }
                }
              } catch (java.io.IOException e) {
                // the process ended
              }
            });
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      synchronized (output) {
        if (output.stream().anyMatch(l -> l.contains(" train / "))) {
          return new Training(process, reader);
        }
      }
      if (!process.isAlive()) {
        throw new AssertionError("trainer exited before training: " + output);
      }
      Thread.sleep(50);
    }
    process.destroyForcibly();
    throw new AssertionError("training did not start: " + output);
  }

  /** A running trainer and the thread collecting its output. */
  private record Training(Process process, Thread reader) {}

  @Test
  void sigtermStopsTrainingWithoutANativeCrash() throws Exception {
    for (int run = 0; run < RUNS; run++) {
      Path cwd = Files.createDirectories(dir.resolve("run-" + run));
      List<String> output = new ArrayList<>();
      Training training = startTraining(cwd, output);
      Process trainer = training.process();
      Thread.sleep(1000L + 400L * run); // into the training steps

      trainer.destroy(); // SIGTERM

      if (!trainer.waitFor(60, TimeUnit.SECONDS)) {
        trainer.destroyForcibly();
        throw new AssertionError("trainer did not exit within 60 s of SIGTERM");
      }
      training.reader().join(10_000);
      String log;
      synchronized (output) {
        log = String.join("\n", output);
      }
      try (Stream<Path> files = Files.list(cwd)) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .as("run %d: no JVM crash report:\n%s", run, log)
            .noneMatch(name -> name.startsWith("hs_err"));
      }
      assertThat(trainer.exitValue())
          .as("run %d exit code:\n%s", run, log)
          .isIn(SIGTERM_EXIT, SIGKILL_EXIT);
      assertThat(ExitCode.retriable(trainer.exitValue())).isTrue();
      assertThat(log).as("run %d", run).doesNotContain("SIGSEGV").doesNotContain("fatal error");
    }
  }
}
