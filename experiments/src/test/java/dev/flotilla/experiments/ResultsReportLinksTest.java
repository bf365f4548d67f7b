package dev.flotilla.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsReportLinksTest {
  @TempDir Path dir;

  @Test
  void plotLinksAndTheRawDirectoryAreRelativeToWhereThePageAndResultsLive() throws Exception {
    Path results = dir.resolve("docs/results/bert-base");
    Path page = dir.resolve("docs/results-bert-base.md");
    ExperimentSettings s = TestSettings.of("/cache/models/bert-base-uncased", 1, 42);
    RecordedSettings settings = RecordedSettings.of(s, "bert-base-uncased", 200, List.of(42L));
    new ResultsReport(new ResultsStore(results.resolve("raw")), results, settings, "cmd")
        .write(page, ExperimentGrid.smoke("sentiment"), List.of("sentiment"));
    String md = Files.readString(page);
    assertThat(md)
        .contains("](results/bert-base/sentiment-clients.png)")
        .contains("](results/bert-base/sentiment-strategies.png)")
        .contains("raw CSVs in `" + results.resolve("raw").toString().replace('\\', '/') + "/`");
    assertThat(results.resolve("sentiment-clients.png")).isNotEmptyFile();
  }
}
