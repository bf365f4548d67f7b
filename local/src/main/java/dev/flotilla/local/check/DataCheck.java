package dev.flotilla.local.check;

import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.core.protocol.ClientRef;
import dev.flotilla.core.workload.ModelOptions;
import dev.flotilla.local.run.FederationBundle;
import dev.flotilla.model.BadInputException;
import dev.flotilla.model.data.DatasetReader;
import dev.flotilla.model.data.Example;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads the first examples of every client's data file and of the evaluation set with the trainer's
 * own reader: the file exists, parses (JSON Lines or CSV with a header), has the task's fields and
 * labels in [0, numLabels). A bounded sample, not the whole corpus; remote (s3://, pvc://)
 * locations are listed as not checked here.
 */
public final class DataCheck {

  /** Examples read from each file by default. */
  public static final int DEFAULT_SAMPLE = 1000;

  private final TaskType task;
  private final int numLabels;
  private final int sample;

  /** A check of {@code bundle}'s task reading at most {@code sample} examples per file. */
  public DataCheck(FederationBundle bundle, int sample) {
    this.task = ModelOptions.parseTask(bundle.spec().getTask().getType().name());
    Integer labels = bundle.spec().getTask().getNumLabels();
    this.numLabels = labels == null ? ModelOptions.DEFAULT_NUM_LABELS : labels;
    this.sample = sample;
  }

  /** Checks every client and the evaluation set; the report holds one line per file. */
  public CheckReport run(List<ClientRef> clients, String evaluationUri) {
    CheckReport report = new CheckReport();
    for (ClientRef client : clients) {
      file(
          report,
          "client " + client.id() + " (ClientPool " + client.pool() + ")",
          client.dataUri());
    }
    if (evaluationUri != null) {
      file(report, "evaluation set (spec.evaluation.dataUri)", evaluationUri);
    }
    return report;
  }

  private void file(CheckReport report, String who, String uri) {
    if (!uri.startsWith("/")) {
      report.note(who + ": " + uri + " is remote; not checked on this machine");
      return;
    }
    try {
      List<Example> examples = new DatasetReader(task, numLabels).read(Path.of(uri), sample);
      report.ok(who + ": " + describe(examples) + " in " + uri);
    } catch (BadInputException e) {
      report.problem(who + ": " + e.getMessage());
    }
  }

  private String describe(List<Example> examples) {
    String read =
        examples.size() >= sample
            ? "first " + examples.size() + " examples read"
            : examples.size() + " examples";
    if (task != TaskType.SEQ_CLS) {
      return read + ", fields prompt and response present";
    }
    TreeMap<Integer, Integer> labels = new TreeMap<>();
    examples.forEach(e -> labels.merge(e.label(), 1, Integer::sum));
    List<String> counts = new ArrayList<>();
    labels.forEach((label, n) -> counts.add(label + ": " + n));
    return read + ", labels {" + String.join(", ", counts) + "}";
  }
}
