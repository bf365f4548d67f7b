package dev.flotilla.local.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessPoolTest {
  @TempDir Path dir;

  private ProcessPool.Spec sh(String id, String script) {
    return new ProcessPool.Spec(
        id, List.of("/bin/sh", "-c", script), Map.of("GREETING", "hi"), dir.resolve(id + ".log"));
  }

  private static List<ProcessPool.Exit> drain(ProcessPool pool, int count) throws Exception {
    List<ProcessPool.Exit> exits = new ArrayList<>();
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (exits.size() < count && System.nanoTime() < deadline) {
      exits.addAll(pool.poll());
      Thread.sleep(20);
    }
    return exits;
  }

  @Test
  void runsAtMostParallelismProcessesAndReportsExitCodes() throws Exception {
    try (ProcessPool pool = new ProcessPool(2)) {
      pool.submit(sh("a", "echo $GREETING; sleep 0.3; exit 0"));
      pool.submit(sh("b", "sleep 0.3; exit 3"));
      pool.submit(sh("c", "exit 2"));
      pool.poll();
      assertThat(pool.runningCount()).isEqualTo(2);
      assertThat(pool.queuedCount()).isEqualTo(1);
      assertThat(pool.isRunning("c")).isFalse();
      List<ProcessPool.Exit> exits = drain(pool, 3);
      assertThat(exits)
          .extracting(ProcessPool.Exit::id, ProcessPool.Exit::exitCode)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("a", 0),
              org.assertj.core.groups.Tuple.tuple("b", 3),
              org.assertj.core.groups.Tuple.tuple("c", 2));
      assertThat(Files.readString(dir.resolve("a.log"))).isEqualTo("hi\n");
    }
  }

  @Test
  void closeKillsRunningChildren() throws Exception {
    ProcessPool pool = new ProcessPool(1);
    pool.submit(sh("sleeper", "exec sleep 30"));
    pool.poll();
    long pid = pool.pid("sleeper").orElseThrow();
    pool.close();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }
}
