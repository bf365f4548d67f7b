package dev.flotilla.local.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Plots loss (left axis) and held-out accuracy (right axis) per round into a PNG. */
public final class MetricsChart {
  private MetricsChart() {}

  /** Writes the chart of {@code rounds} for federation {@code title} to {@code file}. */
  public static void write(Path file, String title, List<RoundResult> rounds) throws IOException {
    XYSeriesCollection losses = new XYSeriesCollection();
    losses.addSeries(series("train loss", rounds, RoundResult::trainLoss));
    losses.addSeries(series("eval loss", rounds, RoundResult::evalLoss));
    XYSeriesCollection accuracy = new XYSeriesCollection();
    accuracy.addSeries(series("eval accuracy", rounds, RoundResult::evalAccuracy));

    JFreeChart chart =
        ChartFactory.createXYLineChart(
            "Federation " + title,
            "round",
            "loss",
            losses,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    NumberAxis roundAxis = (NumberAxis) plot.getDomainAxis();
    roundAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
    plot.setRenderer(0, renderer(new Color(0x1f77b4), new Color(0xff7f0e)));

    NumberAxis accuracyAxis = new NumberAxis("accuracy");
    accuracyAxis.setRange(0.0, 1.0);
    plot.setRangeAxis(1, accuracyAxis);
    plot.setDataset(1, accuracy);
    plot.mapDatasetToRangeAxis(1, 1);
    plot.setRenderer(1, renderer(new Color(0x2ca02c)));

    ChartUtils.saveChartAsPNG(file.toFile(), chart, 800, 480);
  }

  private static XYSeries series(
      String name, List<RoundResult> rounds, Function<RoundResult, OptionalDouble> metric) {
    XYSeries series = new XYSeries(name);
    for (RoundResult r : rounds) {
      OptionalDouble value = metric.apply(r);
      if (value.isPresent()) {
        series.add(r.round(), value.getAsDouble());
      }
    }
    return series;
  }

  private static XYLineAndShapeRenderer renderer(Color... colors) {
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < colors.length; i++) {
      renderer.setSeriesPaint(i, colors[i]);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    return renderer;
  }
}
