package dev.flotilla.experiments;

import java.nio.file.Path;
import java.util.List;

/** The training recipe the settings and report tests share (2 rounds of 192 examples). */
final class TestSettings {
  private TestSettings() {}

  static ExperimentSettings of(String modelDir, int localEpochs, long seed) {
    return new ExperimentSettings(
        Path.of(modelDir),
        Path.of("/cache"),
        2,
        192,
        16,
        32,
        3e-3,
        16,
        0.05,
        List.of("query", "value"),
        localEpochs,
        2,
        seed);
  }
}
