package dev.flotilla.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordedSettingsTest {
  @TempDir Path dir;

  private static RecordedSettings settings(int localEpochs, Long... seeds) {
    ExperimentSettings s = TestSettings.of("/cache/models/all-minilm-l6-v2", localEpochs, seeds[0]);
    return RecordedSettings.of(s, "all-MiniLM-L6-v2", 200, List.of(seeds));
  }

  @Test
  void theFirstRunRecordsItsSettingsAndTheSameSettingsResume() throws Exception {
    ResultsStore store = new ResultsStore(dir.resolve("raw"));
    assertThat(store.settings()).isEmpty();

    assertThat(store.record(settings(1, 42L))).isEqualTo(settings(1, 42L));
    assertThat(store.settings()).contains(settings(1, 42L));
    assertThat(Files.readString(dir.resolve("raw/settings.properties")))
        .contains("model=all-minilm-l6-v2\n", "local-epochs=1\n", "learning-rate=0.003\n")
        .contains("targets=query,value\n", "seeds=42\n");
    assertThat(store.record(settings(1, 42L))).isEqualTo(settings(1, 42L));
  }

  @Test
  void differingSettingsAreRefusedNamingTheKeyAndLeaveTheRecordAlone() throws Exception {
    ResultsStore store = new ResultsStore(dir.resolve("raw"));
    store.record(settings(1, 42L));
    String before = Files.readString(dir.resolve("raw/settings.properties"));

    assertThatThrownBy(() -> store.record(settings(2, 42L, 43L)))
        .isInstanceOf(SettingsMismatchException.class)
        .hasMessageContaining("local-epochs (recorded 1, requested 2)")
        .hasMessageContaining("Delete " + dir.resolve("raw") + "/")
        .hasMessageContaining("pass the recorded settings")
        .hasMessageNotContaining("seeds (");
    assertThat(Files.readString(dir.resolve("raw/settings.properties"))).isEqualTo(before);
  }

  @Test
  void seedsMayBeAddedAndAreKeptInRunOrder() throws Exception {
    ResultsStore store = new ResultsStore(dir.resolve("raw"));
    store.record(settings(1, 42L));

    assertThat(store.record(settings(1, 43L, 42L, 44L)).seeds()).containsExactly(42L, 43L, 44L);
    assertThat(store.record(settings(1, 43L)).seeds())
        .as("a run with fewer seeds keeps the recorded ones")
        .containsExactly(42L, 43L, 44L);
    assertThat(store.settings().orElseThrow().seeds()).containsExactly(42L, 43L, 44L);
  }
}
