package dev.flotilla.aggregator;

import dev.flotilla.core.aggregation.AggregationStrategyType;
import dev.flotilla.core.aggregation.DenseKernels;
import dev.flotilla.core.aggregation.Weighting;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.RoundStore;
import dev.flotilla.model.AdapterPublisher;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Runs the aggregator in this JVM on a {@link RoundFixture}'s round. */
final class Aggregations {
  private Aggregations() {}

  static RoundAggregation.Outcome run(RoundFixture round, Path scratch) throws Exception {
    return run(round, round.store, scratch);
  }

  static RoundAggregation.Outcome run(RoundFixture round, ObjectStore store, Path scratch)
      throws Exception {
    return run(round, store, scratch, UploadLimits.ofThisJvm());
  }

  static RoundAggregation.Outcome run(
      RoundFixture round, ObjectStore store, Path scratch, UploadLimits limits) throws Exception {
    RoundAggregation.Settings settings =
        new RoundAggregation.Settings(
            RoundFixture.ROUND,
            RoundFixture.ATTEMPT,
            Set.of(),
            AggregationStrategyType.FLEXLORA,
            RoundFixture.GLOBAL_RANK,
            Weighting.SAMPLES,
            RoundFixture.ALPHA,
            new TreeSet<>(List.of(RoundFixture.RANK)),
            1,
            10,
            0,
            42);
    return new RoundAggregation(
            new RoundStore(store, round.layout),
            new UploadScreen(
                new UploadReader(store, round.layout, limits),
                new UploadChecks(
                    RoundFixture.ATTEMPT,
                    RoundFixture.ALPHA,
                    RoundFixture.TASK,
                    RoundFixture.BASE_MODEL),
                10),
            new AdapterPublisher(store, scratch.resolve("work")),
            Optional.empty(),
            settings,
            DenseKernels.auto())
        .run();
  }
}
