package dev.flotilla.local.run;

import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.core.spec.EvaluationSpec;
import dev.flotilla.core.spec.TaskKind;
import dev.flotilla.model.BadInputException;
import dev.flotilla.model.data.DatasetReader;
import dev.flotilla.model.data.Example;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The accuracy of always answering the most frequent label of the held-out set: a model whose
 * accuracy is near it has learnt little, however far it rose from round 0.
 *
 * @param label the most frequent label
 * @param count its examples
 * @param total the held-out examples
 */
record MajorityBaseline(int label, int count, int total) {

  /** The baseline of {@code bundle}'s local classification evaluation set, if it has one. */
  static Optional<MajorityBaseline> of(FederationBundle bundle) {
    EvaluationSpec evaluation = bundle.spec().getEvaluation();
    if (evaluation == null
        || bundle.spec().getTask().getType() != TaskKind.SEQUENCE_CLASSIFICATION
        || !evaluation.getDataUri().startsWith("/")) {
      return Optional.empty();
    }
    List<Example> examples;
    try {
      examples =
          new DatasetReader(TaskType.SEQ_CLS, bundle.spec().getTask().getNumLabels())
              .read(Path.of(evaluation.getDataUri()));
    } catch (BadInputException e) {
      return Optional.empty();
    }
    Map<Integer, Integer> counts = new TreeMap<>();
    examples.forEach(e -> counts.merge(e.label(), 1, Integer::sum));
    Map.Entry<Integer, Integer> top =
        counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
    return Optional.of(new MajorityBaseline(top.getKey(), top.getValue(), examples.size()));
  }

  /** Its accuracy. */
  double accuracy() {
    return (double) count / total;
  }

  /** The line printed under the summary table. */
  String describe() {
    return String.format(
        Locale.ROOT,
        "majority-class baseline: accuracy %.4f (label %d for all %d held-out examples);"
            + " compare round 0 and the last round with it",
        accuracy(),
        label,
        total);
  }
}
