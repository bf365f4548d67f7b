package dev.flotilla.local.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.local.FlotillaMain;
import dev.flotilla.local.run.TinyFederation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flotilla validate} and {@code flotilla check-data} refuse, before any training, the
 * manifests and files that used to fail (or quietly degrade) after a round: each message names the
 * field, client, file and line.
 */
class PreflightCliTest {
  @TempDir Path dir;

  private record Result(int exit, String out, String err) {}

  private static Result flotilla(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = FlotillaMain.execute(args);
      return new Result(
          exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private Path manifest(String from, String to) throws IOException {
    Path file = TinyFederation.write(dir, 1);
    String text = Files.readString(file);
    assertThat(text).contains(from);
    Files.writeString(file, text.replace(from, to));
    return file;
  }

  @Test
  void theTinyFederationPassesEveryCheck() throws IOException {
    Result r = flotilla("validate", TinyFederation.write(dir, 1).toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "ok       client client-0 (ClientPool rank-2): 48 examples, labels {0: 24, 1: 24}")
        .contains("ok       base model: BERT");
  }

  @Test
  void fedAvgWithClientsAtRank8AndTheDefaultGlobalRankIsRefusedAtValidate() throws IOException {
    Path file = manifest("    strategy: FLEXLORA\n    globalRank: 8\n", "    strategy: FEDAVG\n");
    String text =
        Files.readString(file).replace("rank: 2\n", "rank: 8\n").replace("rank: 4\n", "rank: 8\n");
    Files.writeString(file, text);

    Result r = flotilla("validate", file.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("spec.aggregation.strategy FEDAVG keeps the clients' rank 8")
        .contains("spec.aggregation.globalRank is 16")
        .contains("set spec.aggregation.globalRank: 8");
  }

  @Test
  void fedAvgCountsDistinctRanks() throws IOException {
    Path file = manifest("strategy: FLEXLORA", "strategy: FEDAVG");

    Result r = flotilla("validate", file.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("found 3 distinct ranks");
  }

  @Test
  void aTypoInOneClientsDataUriIsRefusedNamingTheClient() throws IOException {
    Path file = manifest("file:data/client-1.jsonl", "file:data/clinet-1.jsonl");

    Result r = flotilla("validate", file.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains(
            "client client-1 (ClientPool rank-4): data file " + dir.resolve("data/clinet-1.jsonl"))
        .contains("does not exist");
  }

  @Test
  void stringLabelsAndOutOfRangeLabelsAreRefusedWithClientFileAndLine() throws IOException {
    Path file = TinyFederation.write(dir, 1);
    Path client2 = dir.resolve("data/client-2.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(client2));
    lines.set(2, "{\"text\": \"good movie\", \"label\": \"positive\"}");
    Files.write(client2, lines);
    Files.writeString(
        dir.resolve("data/test.csv"), "text,label\ngood,1\n\"bad, awful\",0\nfine,2\n");
    Files.writeString(
        file, Files.readString(file).replace("file:data/test.jsonl", "file:data/test.csv"));

    Result r = flotilla("check-data", file.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains(
            "client client-2 (ClientPool rank-8): "
                + client2
                + ":3: field 'label' must be an integer, got 'positive'")
        .contains(
            "evaluation set (spec.evaluation.dataUri): "
                + dir.resolve("data/test.csv")
                + ":4: label 2 is out of range [0, 2)");
  }

  @Test
  void checkDataReadsABoundedSampleOfEachFile() throws IOException {
    Path file = TinyFederation.write(dir, 1);
    Path client0 = dir.resolve("data/client-0.jsonl");
    Files.writeString(client0, Files.readString(client0) + "this line is not JSON\n");

    Result sampled = flotilla("check-data", "--sample", "10", file.toString());
    Result whole = flotilla("check-data", file.toString());

    assertThat(sampled.exit()).as(sampled.err()).isZero();
    assertThat(sampled.out())
        .contains("client client-0 (ClientPool rank-2): first 10 examples read");
    assertThat(whole.exit()).isEqualTo(2);
    assertThat(whole.err()).contains(client0 + ":49: malformed JSON");
  }

  @Test
  void aBaseModelOfAnotherArchitectureThanTheSpecNamesIsRefused() throws IOException {
    Path file = manifest("architecture: BERT", "architecture: LLAMA");

    Result r = flotilla("validate", file.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("base model (spec.baseModel)");
  }
}
