package dev.flotilla.experiments;

import static dev.flotilla.core.aggregation.AggregationStrategyType.FEDAVG;
import static dev.flotilla.core.aggregation.AggregationStrategyType.FLEXLORA;
import static dev.flotilla.core.aggregation.AggregationStrategyType.HETLORA;
import static dev.flotilla.experiments.Partition.DOMAIN;
import static dev.flotilla.experiments.Partition.IID;
import static dev.flotilla.experiments.Partition.LABEL_SKEW;
import static dev.flotilla.experiments.RankProfile.HEAVY_TAIL;
import static dev.flotilla.experiments.RankProfile.HOMOGENEOUS;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The fractional factorial grid, ordered so that an interrupted run still answers the main
 * questions: on the first data set, centralised (1 client), FedAvg on 8 IID clients, FedAvg /
 * HetLoRA / FlexLoRA on 8 label-skewed clients (the last two with heavy-tail ranks) and FedAvg on
 * 32 IID clients; the same comparison on the other data sets; then the domain split, the client
 * sweep at 4 and 16, FedAvg on 32 label-skewed clients and FlexLoRA at homogeneous ranks; then the
 * 32-client strategy comparison and the remaining non-IID cells. HetLoRA with equal ranks is FedAvg
 * (both average the factors), so it is not run twice; FedAvg cannot merge unequal ranks.
 */
public final class ExperimentGrid {
  /** Client counts of the client sweep. */
  public static final List<Integer> CLIENT_COUNTS = List.of(1, 4, 8, 16, 32);

  private ExperimentGrid() {}

  /** The full grid for {@code datasets}, in run order. */
  public static List<ExperimentCell> full(List<String> datasets) {
    String first = datasets.get(0);
    List<ExperimentCell> cells = new ArrayList<>();
    cells.add(new ExperimentCell(first, FEDAVG, 1, IID, HOMOGENEOUS));
    cells.add(new ExperimentCell(first, FEDAVG, 8, IID, HOMOGENEOUS));
    cells.add(new ExperimentCell(first, FEDAVG, 8, LABEL_SKEW, HOMOGENEOUS));
    cells.add(new ExperimentCell(first, HETLORA, 8, LABEL_SKEW, HEAVY_TAIL));
    cells.add(new ExperimentCell(first, FLEXLORA, 8, LABEL_SKEW, HEAVY_TAIL));
    cells.add(new ExperimentCell(first, FEDAVG, 32, IID, HOMOGENEOUS));
    for (String d : datasets.subList(1, datasets.size())) {
      cells.add(new ExperimentCell(d, FEDAVG, 1, IID, HOMOGENEOUS));
      cells.add(new ExperimentCell(d, FEDAVG, 8, IID, HOMOGENEOUS));
      cells.add(new ExperimentCell(d, HETLORA, 8, LABEL_SKEW, HEAVY_TAIL));
      cells.add(new ExperimentCell(d, FLEXLORA, 8, LABEL_SKEW, HEAVY_TAIL));
      cells.add(new ExperimentCell(d, FEDAVG, 8, LABEL_SKEW, HOMOGENEOUS));
    }
    for (String d : datasets) {
      cells.add(new ExperimentCell(d, FEDAVG, 8, DOMAIN, HOMOGENEOUS));
      cells.add(new ExperimentCell(d, FEDAVG, 4, IID, HOMOGENEOUS));
      cells.add(new ExperimentCell(d, FEDAVG, 16, IID, HOMOGENEOUS));
      cells.add(new ExperimentCell(d, FEDAVG, 32, LABEL_SKEW, HOMOGENEOUS));
      cells.add(new ExperimentCell(d, FLEXLORA, 8, LABEL_SKEW, HOMOGENEOUS));
    }
    for (String d : datasets) {
      if (!d.equals(first)) {
        cells.add(new ExperimentCell(d, FEDAVG, 32, IID, HOMOGENEOUS));
      }
      cells.add(new ExperimentCell(d, HETLORA, 32, LABEL_SKEW, HEAVY_TAIL));
      cells.add(new ExperimentCell(d, FLEXLORA, 32, LABEL_SKEW, HEAVY_TAIL));
      cells.add(new ExperimentCell(d, FEDAVG, 32, DOMAIN, HOMOGENEOUS));
      cells.add(new ExperimentCell(d, FEDAVG, 4, LABEL_SKEW, HOMOGENEOUS));
      cells.add(new ExperimentCell(d, FEDAVG, 4, DOMAIN, HOMOGENEOUS));
      cells.add(new ExperimentCell(d, FLEXLORA, 32, LABEL_SKEW, HOMOGENEOUS));
    }
    return cells;
  }

  /**
   * The client sweep alone (FedAvg, rank 8, IID, at every count of {@link #CLIENT_COUNTS}) for
   * every data set: the grid for a longer run that asks whether the many-client cells only converge
   * more slowly.
   */
  public static List<ExperimentCell> clients(List<String> datasets) {
    List<ExperimentCell> cells = new ArrayList<>();
    for (String d : datasets) {
      for (int k : CLIENT_COUNTS) {
        cells.add(sweepCell(d, k));
      }
    }
    return cells;
  }

  /** The client-sweep cell of {@code dataset} at {@code clients} clients (1 = centralised). */
  public static ExperimentCell sweepCell(String dataset, int clients) {
    return new ExperimentCell(dataset, FEDAVG, clients, IID, HOMOGENEOUS);
  }

  /**
   * The cells of {@code grid} named in {@code ids}, in grid order.
   *
   * @throws IllegalArgumentException naming the ids that are not in the grid
   */
  public static List<ExperimentCell> select(List<ExperimentCell> grid, List<String> ids) {
    Set<String> known = grid.stream().map(ExperimentCell::id).collect(Collectors.toSet());
    List<String> unknown = ids.stream().filter(id -> !known.contains(id)).toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "not in the grid: "
              + String.join(", ", unknown)
              + " (the grid has "
              + known.size()
              + " cells; their ids are the CSV names without -s<seed>)");
    }
    return grid.stream().filter(c -> ids.contains(c.id())).toList();
  }

  /** Two small cells for the smoke test: centralised and FlexLoRA on 2 heavy-tail clients. */
  public static List<ExperimentCell> smoke(String dataset) {
    return List.of(
        new ExperimentCell(dataset, FEDAVG, 1, IID, HOMOGENEOUS),
        new ExperimentCell(dataset, FLEXLORA, 2, LABEL_SKEW, HEAVY_TAIL));
  }
}
