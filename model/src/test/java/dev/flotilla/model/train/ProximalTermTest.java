package dev.flotilla.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.model.data.DatasetReader;
import dev.flotilla.model.data.EncodedExample;
import dev.flotilla.model.data.ExampleEncoder;
import dev.flotilla.model.nn.LoraSettings;
import dev.flotilla.model.nn.ModelLoader;
import dev.flotilla.model.nn.TrainableModel;
import dev.flotilla.model.testing.TinyData;
import dev.flotilla.model.testing.TinyModels;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FedProx: μ &gt; 0 keeps the trained LoRA factors closer to where local training started. */
class ProximalTermTest {
  @TempDir static Path dir;
  static Path bert;
  static List<EncodedExample> examples;

  @BeforeAll
  static void setUp() throws Exception {
    bert = TinyModels.bert(dir.resolve("bert"), 1);
    Path data = TinyData.sentiment(dir.resolve("train.jsonl"), 64, 2);
    try (ExampleEncoder encoder = new ExampleEncoder(bert, TaskType.SEQ_CLS, 32, null)) {
      examples = encoder.encodeAll(new DatasetReader(TaskType.SEQ_CLS, 2).read(data));
    }
  }

  /** ‖w − w_start‖ over the LoRA factors after 30 steps with coefficient {@code mu}. */
  private static double distanceFromStart(double mu) {
    try (NDManager root = NDManager.newBaseManager();
        TrainableModel model =
            ModelLoader.load(
                bert,
                TaskType.SEQ_CLS,
                2,
                new LoraSettings(4, 8, 0.0, List.of("query", "value"), 7),
                null,
                root)) {
      Map<String, float[]> start = new HashMap<>();
      model.trainableParameters().forEach((name, p) -> start.put(name, p.toFloatArray()));
      new Trainer(new TrainingSettings(0, 30, 16, 2e-2, 0, 0, 1.0, 11, mu))
          .train(model, examples, root, s -> {});
      double sum = 0;
      for (Map.Entry<String, NDArray> p : model.trainableParameters().entrySet()) {
        if (!p.getKey().contains(".lora_")) {
          continue;
        }
        float[] now = p.getValue().toFloatArray();
        float[] before = start.get(p.getKey());
        for (int i = 0; i < now.length; i++) {
          double d = now[i] - before[i];
          sum += d * d;
        }
      }
      return Math.sqrt(sum);
    }
  }

  @Test
  void aPositiveMuPullsTheUpdateTowardTheStart() {
    double free = distanceFromStart(0);
    double proximal = distanceFromStart(5);
    assertThat(free).isGreaterThan(0);
    assertThat(proximal).isLessThan(0.8 * free);
  }
}
