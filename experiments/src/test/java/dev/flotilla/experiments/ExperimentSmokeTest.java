package dev.flotilla.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.model.testing.TinyData;
import dev.flotilla.model.testing.TinyModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The experiment driver end to end on the tiny BERT: two cells, two rounds, two local epochs; then
 * a resume that adds a seed, a refused run with other settings and a report-only run.
 */
class ExperimentSmokeTest {
  @TempDir Path dir;

  private static void pool(Path file, int n, long seed) throws IOException {
    Random random = new Random(seed);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int label = random.nextInt(2);
      List<String> words = new ArrayList<>();
      for (int j = 0; j < 3; j++) {
        words.add(TinyData.FILLER.get(random.nextInt(TinyData.FILLER.size())));
      }
      List<String> cue = label == 1 ? TinyData.POSITIVE : TinyData.NEGATIVE;
      words.add(random.nextInt(words.size() + 1), cue.get(random.nextInt(cue.size())));
      lines.add(
          "{\"text\": \"%s\", \"label\": %d, \"domain\": \"d%d\"}"
              .formatted(String.join(" ", words), label, i % 2));
    }
    Files.createDirectories(file.getParent());
    Files.write(file, lines);
  }

  /**
   * Runs the driver with the smoke settings, {@code overrides} replacing some, and {@code flags}.
   */
  private int run(Map<String, String> overrides, String... flags) {
    Map<String, String> options =
        new LinkedHashMap<>(
            Map.ofEntries(
                Map.entry("--grid", "smoke"),
                Map.entry("--datasets", "tiny"),
                Map.entry("--model", dir.resolve("model").toString()),
                Map.entry("--model-name", "tiny-bert"),
                Map.entry("--data", dir.resolve("data").toString()),
                Map.entry("--results", dir.resolve("results").toString()),
                Map.entry("--report", dir.resolve("results.md").toString()),
                Map.entry("--work", dir.resolve("work").toString()),
                Map.entry("--rounds", "2"),
                Map.entry("--train-examples", "48"),
                Map.entry("--test-examples", "30"),
                Map.entry("--batch-size", "8"),
                Map.entry("--learning-rate", "0.02"),
                Map.entry("--max-seq-length", "16"),
                Map.entry("--threads", "1"),
                Map.entry("--local-epochs", "2"),
                Map.entry("--command", "smoke")));
    options.putAll(overrides);
    List<String> args = new ArrayList<>(List.of(flags));
    options.forEach((option, value) -> args.addAll(List.of(option, value)));
    return new CommandLine(new ExperimentMain()).execute(args.toArray(String[]::new));
  }

  @Test
  void runsTwoCellsPerSeedResumesAddingASeedAndRefusesOtherSettings() throws Exception {
    TinyModels.bert(dir.resolve("model"), 11);
    pool(dir.resolve("data/tiny/pool.jsonl"), 80, 1);
    pool(dir.resolve("data/tiny/test.jsonl"), 40, 2);
    Files.writeString(dir.resolve("results.md"), "# Results\n\nDiscussion kept.\n");

    assertThat(run(Map.of("--seeds", "1"))).isZero();

    ResultsStore store = new ResultsStore(dir.resolve("results/raw"));
    assertThat(store.read("tiny-baseline-s1").orElseThrow()).hasSize(1);
    List<ExperimentCell> cells = ExperimentGrid.smoke("tiny");
    String central = new CellRun(cells.get(0), 1).key();
    String flex = new CellRun(cells.get(1), 1).key();
    for (String key : List.of(central, flex)) {
      List<CellRound> rounds = store.read(key).orElseThrow();
      assertThat(rounds).extracting(CellRound::round).containsExactly(1, 2);
      assertThat(rounds).allSatisfy(r -> assertThat(r.accuracy()).isBetween(0.0, 1.0));
    }
    assertThat(store.read(central).orElseThrow().get(0).steps())
        .as("48 examples, batch 8, 2 local epochs")
        .isEqualTo(12);
    assertThat(store.read(central).orElseThrow().get(1).evalLoss())
        .as("the trained global adapter is scored, not the untrained start")
        .isNotEqualTo(store.read("tiny-baseline-s1").orElseThrow().get(0).evalLoss());
    String page = Files.readString(dir.resolve("results.md"));
    assertThat(page)
        .startsWith("# Results\n\nDiscussion kept.\n")
        .contains(ResultsReport.BEGIN, ResultsReport.END, "| tiny | ", "Cells run: 2 of 2")
        .contains("one seed (1)", "trains 2 local epochs");
    assertThat(dir.resolve("results/tiny-clients.png")).isNotEmptyFile();
    assertThat(dir.resolve("results/tiny-strategies.png")).isNotEmptyFile();

    byte[] before = Files.readAllBytes(dir.resolve("results/raw/" + flex + ".csv"));
    assertThat(run(Map.of("--seeds", "1,2"))).isZero();
    assertThat(Files.readAllBytes(dir.resolve("results/raw/" + flex + ".csv")))
        .as("resume skips finished runs (a rerun would record other seconds)")
        .isEqualTo(before);
    assertThat(store.read(new CellRun(cells.get(1), 2).key())).isPresent();
    assertThat(store.read("tiny-baseline-s2")).isPresent();
    assertThat(Files.readString(dir.resolve("results.md")))
        .as("regenerated in place, not appended")
        .containsOnlyOnce(ResultsReport.BEGIN)
        .contains("2 seeds (1, 2)", "Cells run: 4 of 4", " (2) |", "| 1: 0.");

    PrintStream err = System.err;
    ByteArrayOutputStream refusal = new ByteArrayOutputStream();
    System.setErr(new PrintStream(refusal, true, StandardCharsets.UTF_8));
    try {
      assertThat(run(Map.of("--seeds", "1,2", "--rounds", "3"))).isEqualTo(2);
    } finally {
      System.setErr(err);
    }
    assertThat(refusal.toString(StandardCharsets.UTF_8))
        .as("other settings are refused")
        .contains("rounds (recorded 2, requested 3)");
    assertThat(store.read(new CellRun(cells.get(0), 1).key()).orElseThrow()).hasSize(2);
    assertThat(run(Map.of("--rounds", "3"), "--report-only")).isZero();
    assertThat(Files.readString(dir.resolve("results.md")))
        .as("report-only describes the recorded settings")
        .contains("; 2 rounds;", "2 seeds (1, 2)");
  }
}
