package dev.flotilla.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.model.BadInputException;
import dev.flotilla.model.data.BatchBuilder;
import dev.flotilla.model.data.DatasetReader;
import dev.flotilla.model.data.EncodedExample;
import dev.flotilla.model.data.ExampleEncoder;
import dev.flotilla.model.testing.TinyData;
import dev.flotilla.model.testing.TinyModels;
import dev.flotilla.model.train.TrainResult;
import dev.flotilla.model.train.Trainer;
import dev.flotilla.model.train.TrainingSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BertEncoderTest {
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

  static LoraSettings lora(List<String> targets) {
    return new LoraSettings(4, 8, 0.0, targets, 7);
  }

  static TrainingSettings training(int steps) {
    return new TrainingSettings(0, steps, 16, 2e-2, 0.1, 0.01, 1.0, 11);
  }

  @Test
  void gradientsReachOnlyLoraAndHeadAndBaseStaysFrozen() {
    try (NDManager root = NDManager.newBaseManager();
        TrainableModel model =
            ModelLoader.load(
                bert, TaskType.SEQ_CLS, 2, lora(List.of("query", "value")), null, root)) {
      assertThat(model.adaptedLayers())
          .extracting(LoraLinear::name)
          .containsExactly(
              "bert.encoder.layer.0.attention.self.query",
              "bert.encoder.layer.0.attention.self.value",
              "bert.encoder.layer.1.attention.self.query",
              "bert.encoder.layer.1.attention.self.value");
      assertThat(model.trainableParameters().keySet())
          .contains("classifier.weight", "classifier.bias")
          .hasSize(4 * 2 + 2);
      Map<String, float[]> before = new HashMap<>();
      for (LoraLinear layer : model.adaptedLayers()) {
        before.put(layer.name(), layer.weight().toFloatArray());
      }
      try (NDManager step = root.newSubManager();
          GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(
            model.forward(BatchBuilder.build(step, examples.subList(0, 8)), true).loss());
      }
      for (Map.Entry<String, NDArray> p : model.trainableParameters().entrySet()) {
        assertThat(p.getValue().hasGradient()).as(p.getKey()).isTrue();
      }
      for (LoraLinear layer : model.adaptedLayers()) {
        assertThat(layer.weight().hasGradient()).as(layer.name()).isFalse();
        // B = 0 at init: A gets no signal yet, B does
        assertThat(layer.loraB().getGradient().abs().sum().getFloat()).isGreaterThan(0f);
      }
      new Trainer(training(20)).train(model, examples, root, s -> {});
      for (LoraLinear layer : model.adaptedLayers()) {
        assertThat(layer.weight().toFloatArray())
            .as(layer.name())
            .isEqualTo(before.get(layer.name()));
        assertThat(layer.loraB().abs().sum().getFloat()).isGreaterThan(0f);
      }
    }
  }

  @Test
  void lossDecreasesAndAccuracyRises() {
    try (NDManager root = NDManager.newBaseManager();
        TrainableModel model =
            ModelLoader.load(
                bert,
                TaskType.SEQ_CLS,
                2,
                lora(List.of("query", "value", "intermediate.dense")),
                null,
                root)) {
      double before = Trainer.evaluate(model, examples, root, 32).loss();
      TrainResult result = new Trainer(training(40)).train(model, examples, root, s -> {});
      double after = Trainer.evaluate(model, examples, root, 32).loss();
      assertThat(result.losses()).hasSize(40);
      assertThat(after).isLessThan(before * 0.5);
      assertThat(Trainer.evaluate(model, examples, root, 32).accuracy()).isGreaterThan(0.9);
    }
  }

  @Test
  void mergedWeightsGiveTheSameOutputs() {
    try (NDManager root = NDManager.newBaseManager();
        BertEncoder model =
            (BertEncoder)
                ModelLoader.load(
                    bert,
                    TaskType.SEQ_CLS,
                    2,
                    lora(
                        List.of("query", "key", "value", "attention.output.dense", "output.dense")),
                    null,
                    root)) {
      new Trainer(training(10)).train(model, examples, root, s -> {});
      try (NDManager step = root.newSubManager()) {
        var batch = BatchBuilder.build(step, examples.subList(0, 16));
        float[] unmerged = model.logits(batch, false).toFloatArray();
        model.mergeAdapters();
        float[] merged = model.logits(batch, false).toFloatArray();
        assertThat(merged.length).isEqualTo(unmerged.length);
        for (int i = 0; i < merged.length; i++) {
          assertThat(merged[i]).isCloseTo(unmerged[i], org.assertj.core.data.Offset.offset(1e-4f));
        }
      }
    }
  }

  @Test
  void paddingDoesNotChangeOutputs() {
    try (NDManager root = NDManager.newBaseManager();
        BertEncoder model =
            (BertEncoder)
                ModelLoader.load(bert, TaskType.SEQ_CLS, 2, lora(List.of("query")), null, root)) {
      EncodedExample shortOne =
          examples.stream().min((a, b) -> a.ids().length - b.ids().length).get();
      EncodedExample longOne =
          examples.stream().max((a, b) -> a.ids().length - b.ids().length).get();
      assertThat(longOne.ids().length).isGreaterThan(shortOne.ids().length);
      try (NDManager step = root.newSubManager()) {
        float[] alone =
            model.logits(BatchBuilder.build(step, List.of(shortOne)), false).toFloatArray();
        float[] padded =
            model
                .logits(BatchBuilder.build(step, List.of(shortOne, longOne)), false)
                .toFloatArray();
        for (int i = 0; i < alone.length; i++) {
          assertThat(padded[i]).isCloseTo(alone[i], org.assertj.core.data.Offset.offset(1e-5f));
        }
      }
    }
  }

  @Test
  void adapterExportUsesHfModuleNamesAndRoundTripsIntoAModel() {
    try (NDManager root = NDManager.newBaseManager()) {
      LoraAdapter exported;
      float[] logits;
      try (BertEncoder model =
          (BertEncoder)
              ModelLoader.load(
                  bert, TaskType.SEQ_CLS, 2, lora(List.of("query", "value")), null, root)) {
        new Trainer(training(5)).train(model, examples, root, s -> {});
        exported = model.toAdapter("tiny-bert");
        try (NDManager step = root.newSubManager()) {
          logits =
              model.logits(BatchBuilder.build(step, examples.subList(0, 4)), false).toFloatArray();
        }
      }
      assertThat(exported.modules()).containsKey("bert.encoder.layer.1.attention.self.value");
      assertThat(exported.modulesToSave()).containsExactly("classifier");
      assertThat(exported.extraTensors()).containsOnlyKeys("classifier.bias", "classifier.weight");
      assertThat(exported.targetModules()).containsExactly("query", "value");
      try (BertEncoder again =
              (BertEncoder)
                  ModelLoader.load(
                      bert, TaskType.SEQ_CLS, 2, lora(List.of("query", "value")), exported, root);
          NDManager step = root.newSubManager()) {
        assertThat(
                again
                    .logits(BatchBuilder.build(step, examples.subList(0, 4)), false)
                    .toFloatArray())
            .containsExactly(logits);
      }
    }
  }

  @Test
  void unknownTargetModuleIsRejectedWithTheAvailableNames() {
    try (NDManager root = NDManager.newBaseManager()) {
      assertThatThrownBy(
              () ->
                  ModelLoader.load(bert, TaskType.SEQ_CLS, 2, lora(List.of("q_proj")), null, root))
          .isInstanceOf(BadInputException.class)
          .hasMessageContaining("q_proj")
          .hasMessageContaining("attention.self.query");
    }
  }

  @Test
  void distilBertUsesItsOwnNamesAndHead() throws Exception {
    Path distil = TinyModels.distilBert(dir.resolve("distil"), 3);
    try (NDManager root = NDManager.newBaseManager();
        TrainableModel model =
            ModelLoader.load(
                distil, TaskType.SEQ_CLS, 3, lora(List.of("query", "value")), null, root)) {
      assertThat(model.adaptedLayers())
          .extracting(LoraLinear::name)
          .contains(
              "distilbert.transformer.layer.0.attention.q_lin",
              "distilbert.transformer.layer.1.attention.v_lin");
      LoraAdapter adapter = model.toAdapter("tiny-distil");
      assertThat(adapter.modulesToSave()).containsExactly("pre_classifier", "classifier");
      assertThat(adapter.targetModules()).containsExactly("q_lin", "v_lin");
      List<EncodedExample> three = new ArrayList<>();
      for (EncodedExample e : examples.subList(0, 6)) {
        three.add(new EncodedExample(e.ids(), e.typeIds(), e.label() + (e.ids().length % 2), null));
      }
      TrainResult result = new Trainer(training(3)).train(model, three, root, s -> {});
      assertThat(result.losses()).allSatisfy(l -> assertThat(l).isFinite());
      try (NDManager step = root.newSubManager()) {
        assertThat(model.forward(BatchBuilder.build(step, three), false).loss().getShape())
            .isEqualTo(new Shape());
      }
    }
  }
}
