package dev.flotilla.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A prepared experiment data set: a pool of training candidates and a held-out test set
 * (scripts/prepare-experiment-data.mjs writes {@code <name>/pool.jsonl} and {@code test.jsonl}).
 *
 * @param name data set name
 * @param pool training candidates
 * @param testFile the held-out set, in trainer format
 */
public record ExperimentDataset(String name, List<LabelledText> pool, Path testFile) {

  /**
   * Loads {@code dataRoot/name}, keeping the first {@code testExamples} held-out examples (written
   * to {@code work/<name>-test.jsonl} for the evaluator).
   */
  public static ExperimentDataset load(Path dataRoot, String name, int testExamples, Path work)
      throws IOException {
    Path dir = dataRoot.resolve(name);
    Path pool = dir.resolve("pool.jsonl");
    Path test = dir.resolve("test.jsonl");
    for (Path file : List.of(pool, test)) {
      if (!Files.isRegularFile(file)) {
        throw new IOException(
            "missing " + file + " (run scripts/fetch-experiment-data.sh to prepare the data)");
      }
    }
    List<LabelledText> held = LabelledText.read(test);
    if (testExamples < 1 || testExamples > held.size()) {
      throw new IOException(
          "--test-examples must be in 1.."
              + held.size()
              + " for "
              + test
              + ", got "
              + testExamples);
    }
    Path subset = work.resolve(name + "-test.jsonl");
    LabelledText.writeTrainerFile(subset, held.subList(0, testExamples));
    return new ExperimentDataset(name, LabelledText.read(pool), subset);
  }
}
