package dev.flotilla.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.core.aggregation.AggregationStrategyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsReportSectionsTest {
  @TempDir Path dir;

  @Test
  void theClientsGridIsTheFedAvgIidSweepAtEveryClientCount() {
    List<ExperimentCell> cells = ExperimentGrid.clients(List.of("sentiment", "spam"));
    assertThat(cells).hasSize(2 * ExperimentGrid.CLIENT_COUNTS.size());
    assertThat(cells)
        .allSatisfy(
            c -> {
              assertThat(c.strategy()).isEqualTo(AggregationStrategyType.FEDAVG);
              assertThat(c.partition()).isEqualTo(Partition.IID);
              assertThat(c.ranks()).isEqualTo(RankProfile.HOMOGENEOUS);
            });
    assertThat(cells.stream().map(ExperimentCell::clients).distinct())
        .containsExactlyElementsOf(ExperimentGrid.CLIENT_COUNTS);
  }

  @Test
  void selectKeepsTheNamedCellsInGridOrderAndNamesUnknownIds() {
    List<ExperimentCell> grid = ExperimentGrid.full(List.of("sentiment", "spam"));
    String flex = "spam-flexlora-k8-label_skew-heavy_tail";
    String het = "sentiment-hetlora-k8-label_skew-heavy_tail";
    assertThat(ExperimentGrid.select(grid, List.of(flex, het)))
        .extracting(ExperimentCell::id)
        .containsExactly(het, flex);
    assertThatThrownBy(() -> ExperimentGrid.select(grid, List.of(het, "sentiment-fedavg-k7")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not in the grid: sentiment-fedavg-k7")
        .hasMessageNotContaining(het);
  }

  @Test
  void aClientsGridPageHasTheSweepAndItsRoundsButNoNonIidOrStrategySection() throws Exception {
    Path results = dir.resolve("results");
    ResultsStore store = new ResultsStore(results.resolve("raw"));
    ExperimentCell two = ExperimentGrid.clients(List.of("sentiment")).get(1);
    store.write(
        new CellRun(two, 42).key(),
        List.of(
            new CellRound(1, 0.61, 0.68, 0.66, 8, 1.0), new CellRound(2, 0.74, 0.6, 0.5, 8, 1)));
    Path page = write(store, results, ExperimentGrid.clients(List.of("sentiment")));
    String md = Files.readString(page);
    assertThat(md)
        .contains("### Clients sweep")
        .contains("](results/sentiment-client-rounds.png)")
        .contains("0.610 → 0.740")
        .doesNotContain("### Non-IID")
        .doesNotContain("### Strategies")
        .doesNotContain("strategies.png");
    assertThat(results.resolve("sentiment-client-rounds.png")).isNotEmptyFile();
    assertThat(results.resolve("sentiment-strategies.png")).doesNotExist();
  }

  @Test
  void aStrategySelectionHasNoClientSweep() throws Exception {
    Path results = dir.resolve("results");
    List<ExperimentCell> cells =
        ExperimentGrid.select(
            ExperimentGrid.full(List.of("sentiment")),
            List.of(
                "sentiment-hetlora-k8-label_skew-heavy_tail",
                "sentiment-flexlora-k8-label_skew-heavy_tail"));
    Path page = write(new ResultsStore(results.resolve("raw")), results, cells);
    assertThat(Files.readString(page))
        .contains("### Strategies")
        .doesNotContain("### Clients sweep")
        .doesNotContain("clients.png")
        .doesNotContain("client-rounds.png");
    assertThat(results.resolve("sentiment-clients.png")).doesNotExist();
  }

  @Test
  void aGridWithOtherStrategiesAndPartitionsKeepsEverySection() throws Exception {
    Path results = dir.resolve("results");
    Path page =
        write(new ResultsStore(results.resolve("raw")), results, ExperimentGrid.smoke("sentiment"));
    assertThat(Files.readString(page))
        .contains("### Clients sweep")
        .contains("### Non-IID")
        .contains("### Strategies")
        .contains("](results/sentiment-strategies.png)");
  }

  private Path write(ResultsStore store, Path results, List<ExperimentCell> cells)
      throws Exception {
    ExperimentSettings s = TestSettings.of("/cache/models/all-minilm-l6-v2", 2, 42);
    RecordedSettings settings = RecordedSettings.of(s, "all-MiniLM-L6-v2", 200, List.of(42L));
    Path page = dir.resolve("results.md");
    new ResultsReport(store, results, settings, "cmd").write(page, cells, List.of("sentiment"));
    return page;
  }
}
