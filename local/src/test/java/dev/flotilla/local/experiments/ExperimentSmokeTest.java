package dev.flotilla.local.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.local.run.TinyFederation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The experiment driver end to end on the tiny BERT: two cells, two rounds, then a resume. */
class ExperimentSmokeTest {
  @TempDir Path dir;

  private static void pool(Path file, int n, long seed) throws IOException {
    Random random = new Random(seed);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int label = random.nextInt(2);
      List<String> words = new ArrayList<>();
      for (int j = 0; j < 3; j++) {
        words.add(TinyFederation.FILLER.get(random.nextInt(TinyFederation.FILLER.size())));
      }
      List<String> cue = label == 1 ? TinyFederation.POSITIVE : TinyFederation.NEGATIVE;
      words.add(random.nextInt(words.size() + 1), cue.get(random.nextInt(cue.size())));
      lines.add(
          "{\"text\": \"%s\", \"label\": %d, \"domain\": \"d%d\"}"
              .formatted(String.join(" ", words), label, i % 2));
    }
    Files.createDirectories(file.getParent());
    Files.write(file, lines);
  }

  private int run() {
    return new CommandLine(new ExperimentMain())
        .execute(
            "--grid", "smoke",
            "--datasets", "tiny",
            "--model", dir.resolve("model").toString(),
            "--model-name", "tiny-bert",
            "--data", dir.resolve("data").toString(),
            "--results", dir.resolve("results").toString(),
            "--report", dir.resolve("results.md").toString(),
            "--work", dir.resolve("work").toString(),
            "--rounds", "2",
            "--train-examples", "48",
            "--test-examples", "30",
            "--batch-size", "8",
            "--learning-rate", "0.02",
            "--max-seq-length", "16",
            "--threads", "1",
            "--command", "smoke");
  }

  @Test
  void runsTwoCellsWritesTheReportAndResumesWithoutRecomputing() throws Exception {
    TinyFederation.writeModel(dir.resolve("model"), 11);
    pool(dir.resolve("data/tiny/pool.jsonl"), 80, 1);
    pool(dir.resolve("data/tiny/test.jsonl"), 40, 2);
    Files.writeString(dir.resolve("results.md"), "# Results\n\nDiscussion kept.\n");

    assertThat(run()).isZero();

    ResultsStore store = new ResultsStore(dir.resolve("results/raw"));
    assertThat(store.read("tiny-baseline").orElseThrow()).hasSize(1);
    List<String> ids = ExperimentGrid.smoke("tiny").stream().map(ExperimentCell::id).toList();
    for (String id : ids) {
      List<CellRound> rounds = store.read(id).orElseThrow();
      assertThat(rounds).extracting(CellRound::round).containsExactly(1, 2);
      assertThat(rounds).allSatisfy(r -> assertThat(r.accuracy()).isBetween(0.0, 1.0));
      assertThat(rounds.get(0).steps()).isPositive();
    }
    List<CellRound> central = store.read(ids.get(0)).orElseThrow();
    assertThat(central.get(1).evalLoss())
        .as("the trained global adapter is scored, not the untrained start")
        .isNotEqualTo(store.read("tiny-baseline").orElseThrow().get(0).evalLoss());
    String page = Files.readString(dir.resolve("results.md"));
    assertThat(page)
        .startsWith("# Results\n\nDiscussion kept.\n")
        .contains(ResultsReport.BEGIN, ResultsReport.END, "| tiny | ", "Cells run: 2 of 2");
    assertThat(dir.resolve("results/tiny-clients.png")).isNotEmptyFile();
    assertThat(dir.resolve("results/tiny-strategies.png")).isNotEmptyFile();

    byte[] before = Files.readAllBytes(dir.resolve("results/raw/" + ids.get(1) + ".csv"));
    assertThat(run()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("results/raw/" + ids.get(1) + ".csv")))
        .as("resume skips finished cells (a rerun would record other seconds)")
        .isEqualTo(before);
    assertThat(Files.readString(dir.resolve("results.md")))
        .as("regenerated in place, not appended")
        .containsOnlyOnce(ResultsReport.BEGIN);
  }
}
