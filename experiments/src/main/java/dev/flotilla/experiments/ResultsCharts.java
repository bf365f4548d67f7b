package dev.flotilla.experiments;

import dev.flotilla.core.aggregation.AggregationStrategyType;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The PNG plots of the results page. */
final class ResultsCharts {
  private static final Color[] COLORS = {
    new Color(0x1f77b4),
    new Color(0xff7f0e),
    new Color(0x2ca02c),
    new Color(0xd62728),
    new Color(0x9467bd),
    new Color(0x8c564b),
    new Color(0xe377c2),
    new Color(0x7f7f7f)
  };

  private ResultsCharts() {}

  /**
   * Final accuracy (mean over seeds) against the number of clients (log scale), one line per
   * partition.
   */
  static void clientSweep(Path file, String dataset, ResultsReport report) throws IOException {
    XYSeriesCollection lines = new XYSeriesCollection();
    for (Partition p : Partition.values()) {
      XYSeries series = new XYSeries("FedAvg r=8, " + p.label());
      for (int k : ExperimentGrid.CLIENT_COUNTS) {
        ExperimentCell cell =
            new ExperimentCell(
                dataset,
                AggregationStrategyType.FEDAVG,
                k,
                k == 1 ? Partition.IID : p,
                RankProfile.HOMOGENEOUS);
        Spread accuracy = report.finalAccuracy(cell);
        if (accuracy.n() > 0) {
          series.add((double) k, accuracy.mean());
        }
      }
      if (series.getItemCount() > 0) {
        lines.addSeries(series);
      }
    }
    Spread baseline = report.baseline(dataset);
    if (baseline.n() > 0) {
      XYSeries series = new XYSeries("untrained");
      ExperimentGrid.CLIENT_COUNTS.forEach(k -> series.add((double) k, baseline.mean()));
      lines.addSeries(series);
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            dataset + ": held-out accuracy after the last round (mean over seeds)",
            "clients (1 = centralised)",
            "accuracy",
            lines,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    XYPlot plot = style(chart);
    LogAxis clients = new LogAxis("clients (1 = centralised)");
    clients.setBase(2);
    clients.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    plot.setDomainAxis(clients);
    save(file, chart);
  }

  /** Accuracy per round (0 = untrained; mean over seeds) of the strategy comparison cells. */
  static void strategies(Path file, String dataset, ResultsReport report) throws IOException {
    Map<String, ExperimentCell> cells = new LinkedHashMap<>();
    for (int k : List.of(8, 32)) {
      for (ExperimentCell cell : ResultsReport.strategyCells(dataset, k)) {
        cells.put(cell.strategy() + " " + cell.ranks().label() + ", K=" + k, cell);
      }
    }
    perRound(file, dataset + ": label skew, accuracy per round (mean over seeds)", cells, report);
  }

  /**
   * Accuracy per round (0 = untrained; mean over seeds) of the client sweep, one line per count.
   */
  static void clientRounds(Path file, String dataset, ResultsReport report) throws IOException {
    Map<String, ExperimentCell> cells = new LinkedHashMap<>();
    for (int k : ExperimentGrid.CLIENT_COUNTS) {
      cells.put(
          k == 1 ? "centralised" : "FedAvg r=8, IID, K=" + k, ExperimentGrid.sweepCell(dataset, k));
    }
    perRound(file, dataset + ": client sweep, accuracy per round (mean over seeds)", cells, report);
  }

  private static void perRound(
      Path file, String title, Map<String, ExperimentCell> cells, ResultsReport report)
      throws IOException {
    XYSeriesCollection lines = new XYSeriesCollection();
    for (Map.Entry<String, ExperimentCell> cell : cells.entrySet()) {
      SortedMap<Integer, Spread> rounds = report.accuracyPerRound(cell.getValue());
      if (rounds.isEmpty()) {
        continue;
      }
      XYSeries series = new XYSeries(cell.getKey());
      rounds.forEach((round, accuracy) -> series.add((double) round, accuracy.mean()));
      lines.addSeries(series);
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title,
            "round (0 = untrained)",
            "accuracy",
            lines,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    XYPlot plot = style(chart);
    ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    save(file, chart);
  }

  private static XYPlot style(JFreeChart chart) {
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    ((NumberAxis) plot.getRangeAxis()).setRange(0.3, 1.0);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < COLORS.length; i++) {
      renderer.setSeriesPaint(i, COLORS[i]);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    plot.setRenderer(renderer);
    return plot;
  }

  private static void save(Path file, JFreeChart chart) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 800, 480);
  }
}
