package dev.flotilla.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The settings of an experiment run that change a number, as recorded in {@code
 * raw/settings.properties} (keys named after the command-line options), so that a resumed run
 * cannot mix results of different settings; only seeds may be added.
 *
 * @param modelName the model name shown in the report
 * @param model the name of the base model's directory
 * @param rounds federation rounds per cell
 * @param trainExamples training examples per cell
 * @param localEpochs local epochs per client and round
 * @param batchSize local batch size
 * @param learningRate local peak learning rate
 * @param maxSeqLength token truncation
 * @param alpha {@code lora_alpha}
 * @param dropout LoRA dropout
 * @param targets adapted modules
 * @param testExamples held-out examples per data set
 * @param seeds the seeds, in run order
 */
public record RecordedSettings(
    String modelName,
    String model,
    int rounds,
    int trainExamples,
    int localEpochs,
    int batchSize,
    double learningRate,
    int maxSeqLength,
    double alpha,
    double dropout,
    List<String> targets,
    int testExamples,
    List<Long> seeds) {
  private static final String SEEDS = "seeds";

  /** Copies the lists; at least one seed. */
  public RecordedSettings {
    targets = List.copyOf(targets);
    seeds = List.copyOf(new LinkedHashSet<>(seeds));
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("at least one seed is needed");
    }
  }

  /** The recorded form of {@code settings} run with {@code seeds}. */
  public static RecordedSettings of(
      ExperimentSettings settings, String modelName, int testExamples, List<Long> seeds) {
    return new RecordedSettings(
        modelName,
        Objects.toString(settings.modelDir().toAbsolutePath().normalize().getFileName()),
        settings.rounds(),
        settings.trainExamples(),
        settings.localEpochs(),
        settings.batchSize(),
        settings.learningRate(),
        settings.maxSeqLength(),
        settings.alpha(),
        settings.dropout(),
        settings.targetModules(),
        testExamples,
        seeds);
  }

  /** The settings as ordered key/value pairs. */
  public Map<String, String> properties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("model-name", modelName);
    p.put("model", model);
    p.put("rounds", Integer.toString(rounds));
    p.put("train-examples", Integer.toString(trainExamples));
    p.put("local-epochs", Integer.toString(localEpochs));
    p.put("batch-size", Integer.toString(batchSize));
    p.put("learning-rate", Double.toString(learningRate));
    p.put("max-seq-length", Integer.toString(maxSeqLength));
    p.put("alpha", Double.toString(alpha));
    p.put("dropout", Double.toString(dropout));
    p.put("targets", String.join(",", targets));
    p.put("test-examples", Integer.toString(testExamples));
    p.put(SEEDS, seeds.stream().map(String::valueOf).collect(Collectors.joining(",")));
    return p;
  }

  /**
   * Parses {@link #properties()}.
   *
   * @throws IllegalArgumentException naming a missing or malformed key
   */
  public static RecordedSettings parse(Map<String, String> p) {
    return new RecordedSettings(
        value(p, "model-name"),
        value(p, "model"),
        integer(p, "rounds"),
        integer(p, "train-examples"),
        integer(p, "local-epochs"),
        integer(p, "batch-size"),
        real(p, "learning-rate"),
        integer(p, "max-seq-length"),
        real(p, "alpha"),
        real(p, "dropout"),
        List.of(value(p, "targets").split(",")),
        integer(p, "test-examples"),
        Stream.of(value(p, SEEDS).split(",")).map(s -> parsed(SEEDS, s, Long::valueOf)).toList());
  }

  /** The keys other than the seeds whose values differ in {@code requested}, with both values. */
  public List<String> differences(RecordedSettings requested) {
    Map<String, String> mine = properties();
    Map<String, String> theirs = requested.properties();
    List<String> differing = new ArrayList<>();
    mine.forEach(
        (key, value) -> {
          if (!key.equals(SEEDS) && !value.equals(theirs.get(key))) {
            differing.add(key + " (recorded " + value + ", requested " + theirs.get(key) + ")");
          }
        });
    return differing;
  }

  /** These settings with the seeds of {@code more} that are not recorded yet appended. */
  public RecordedSettings withSeeds(List<Long> more) {
    List<Long> all = new ArrayList<>(seeds);
    all.addAll(more);
    return new RecordedSettings(
        modelName,
        model,
        rounds,
        trainExamples,
        localEpochs,
        batchSize,
        learningRate,
        maxSeqLength,
        alpha,
        dropout,
        targets,
        testExamples,
        all);
  }

  private static String value(Map<String, String> p, String key) {
    String v = p.get(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("missing " + key);
    }
    return v.trim();
  }

  private static int integer(Map<String, String> p, String key) {
    return parsed(key, value(p, key), Integer::valueOf);
  }

  private static double real(Map<String, String> p, String key) {
    return parsed(key, value(p, key), Double::valueOf);
  }

  private static <T> T parsed(String key, String text, Function<String, T> f) {
    try {
      return f.apply(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": not a number: " + text);
    }
  }
}
