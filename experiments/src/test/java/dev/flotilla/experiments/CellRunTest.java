package dev.flotilla.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CellRunTest {
  @TempDir Path dir;

  @Test
  void rawFilesAreNamedByCellAndSeed() {
    ExperimentCell cell = ExperimentGrid.smoke("spam").get(1);
    assertThat(new CellRun(cell, 43).key()).isEqualTo("spam-flexlora-k2-label_skew-heavy_tail-s43");
    assertThat(CellRun.baselineKey("spam", 43)).isEqualTo("spam-baseline-s43");
  }

  @Test
  void pendingRunsAreSeedsOuterAndSkipStoredResultsAndFailures() throws IOException {
    List<ExperimentCell> cells = ExperimentGrid.smoke("spam");
    ResultsStore store = new ResultsStore(dir);
    store.write(
        new CellRun(cells.get(0), 42).key(), List.of(new CellRound(1, 0.5, 0.7, 0.7, 1, 1)));
    store.writeFailure(new CellRun(cells.get(1), 43).key(), "boom");
    Files.writeString(dir.resolve(cells.get(1).id() + ".csv"), ResultsStore.HEADER + "\n");

    assertThat(CellRun.pending(cells, List.of(42L, 43L, 44L), store))
        .containsExactly(
            new CellRun(cells.get(1), 42),
            new CellRun(cells.get(0), 43),
            new CellRun(cells.get(0), 44),
            new CellRun(cells.get(1), 44));
  }
}
