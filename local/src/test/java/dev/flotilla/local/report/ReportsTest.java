package dev.flotilla.local.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {
  @TempDir Path dir;

  private static final List<RoundResult> ROUNDS =
      List.of(
          new RoundResult(
              1,
              3,
              3,
              0,
              OptionalDouble.of(0.6931),
              OptionalDouble.of(0.61),
              OptionalDouble.of(0.5),
              12.34),
          new RoundResult(
              2,
              3,
              2,
              1,
              OptionalDouble.of(0.4),
              OptionalDouble.empty(),
              OptionalDouble.empty(),
              8.0));

  @Test
  void csvHasOneRowPerRoundAndEmptyCellsForMissingMetrics() throws Exception {
    Path csv = dir.resolve("metrics.csv");
    MetricsCsv.write(csv, ROUNDS);
    assertThat(Files.readAllLines(csv))
        .containsExactly(
            MetricsCsv.HEADER, "1,3,3,0,0.693100,0.610000,0.500000,12.3", "2,3,2,1,0.400000,,,8.0");
  }

  @Test
  void tableShowsEveryRound() {
    String table = SummaryTable.render(ROUNDS);
    assertThat(table.lines()).hasSize(3);
    assertThat(table.lines().toList().get(1)).contains("0.6931", "0.5000", "12.3");
    assertThat(table.lines().toList().get(2)).contains("0.4000", "-");
  }

  @Test
  void untrainedRoundZeroHasNoClientCounts() throws Exception {
    RoundResult untrained =
        new RoundResult(
            0,
            0,
            0,
            0,
            OptionalDouble.empty(),
            OptionalDouble.of(0.7),
            OptionalDouble.of(0.47),
            Double.NaN);
    Path csv = dir.resolve("metrics.csv");
    MetricsCsv.write(csv, List.of(untrained, ROUNDS.get(0)));
    assertThat(Files.readAllLines(csv).get(1)).isEqualTo("0,,,,,0.700000,0.470000,");
    String row = SummaryTable.render(List.of(untrained)).lines().toList().get(1);
    assertThat(row.trim().split(" +"))
        .containsExactly("0", "-", "-", "-", "-", "0.7000", "0.4700", "-");
  }

  @Test
  void chartIsAReadablePng() throws Exception {
    Path png = dir.resolve("metrics.png");
    MetricsChart.write(png, "demo", ROUNDS);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(800);
    assertThat(image.getHeight()).isEqualTo(480);
  }

  @Test
  void progressPrintsOnlyChangesWhenNotInteractive() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressDisplay display =
        new ProgressDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    ProgressDisplay.Progress p =
        new ProgressDisplay.Progress(
            1, 3, "Training", 6, 2, 1, 1, OptionalDouble.of(0.5), OptionalDouble.empty());
    display.show(p);
    display.show(p);
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out.lines()).hasSize(1);
    assertThat(out)
        .startsWith(
            "round 1/3 Training    clients 2/6 done, 1 failed, 1 running  train loss 0.5000");
  }
}
