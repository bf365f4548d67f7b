package dev.flotilla.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.model.data.DatasetReader;
import dev.flotilla.model.data.EncodedExample;
import dev.flotilla.model.data.Example;
import dev.flotilla.model.data.ExampleEncoder;
import dev.flotilla.model.nn.LoraSettings;
import dev.flotilla.model.nn.ModelLoader;
import dev.flotilla.model.nn.TrainableModel;
import dev.flotilla.model.train.EvalResult;
import dev.flotilla.model.train.TrainResult;
import dev.flotilla.model.train.Trainer;
import dev.flotilla.model.train.TrainingSettings;
import dev.flotilla.trainer.testing.MiniLm;
import dev.flotilla.trainer.testing.SentimentData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA fine-tuning of the real MiniLM on real review sentences lowers the held-out loss. */
class MiniLmSentimentTest {
  @TempDir Path dir;

  @Test
  void heldOutLossDecreasesAfterAFewSteps() throws Exception {
    Path model = MiniLm.directory();
    List<Example> all = new ArrayList<>();
    DatasetReader reader = new DatasetReader(TaskType.SEQ_CLS, 2);
    for (String source : List.of("imdb", "yelp")) {
      all.addAll(reader.read(SentimentData.jsonl(source, dir.resolve(source + ".jsonl"))));
    }
    Collections.shuffle(all, new Random(5));
    List<EncodedExample> train;
    List<EncodedExample> heldOut;
    try (ExampleEncoder encoder = new ExampleEncoder(model, TaskType.SEQ_CLS, 64, null)) {
      train = encoder.encodeAll(all.subList(0, 480));
      heldOut = encoder.encodeAll(all.subList(1800, 1960));
    }
    LoraSettings lora = new LoraSettings(8, 16, 0.05, List.of("query", "value"), 42);
    TrainingSettings settings = new TrainingSettings(1, 0, 16, 2e-3, 0.1, 0.0, 1.0, 3);
    try (NDManager root = NDManager.newBaseManager();
        TrainableModel minilm = ModelLoader.load(model, TaskType.SEQ_CLS, 2, lora, null, root)) {
      EvalResult before = Trainer.evaluate(minilm, heldOut, root, 32);
      TrainResult result = new Trainer(settings).train(minilm, train, root, s -> {});
      EvalResult after = Trainer.evaluate(minilm, heldOut, root, 32);
      System.out.printf(
          "MiniLM sentiment: %d steps, held-out loss %.4f -> %.4f, accuracy %.3f -> %.3f%n",
          result.steps(), before.loss(), after.loss(), before.accuracy(), after.accuracy());
      assertThat(result.steps()).isEqualTo(30);
      assertThat(after.loss()).isLessThan(before.loss() - 0.05);
      assertThat(after.accuracy()).isGreaterThan(0.6);
      assertThat(result.meanLastLoss(10))
          .isLessThan(
              result.losses().subList(0, 10).stream().mapToDouble(d -> d).average().orElseThrow());
    }
  }
}
