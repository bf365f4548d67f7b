package dev.flotilla.core.adapter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Checks a client's adapter against a federation's {@link AdapterExpectations} before it is
 * aggregated: configuration (base model, task, alpha, target modules, modules_to_save), the module
 * set (missing / extra), each module's A/B shapes against the base layer and the rank, extra
 * tensors and their shapes, and that every value is finite. Problems name the tensor by its PEFT
 * name, so a rejection can be traced to the uploaded file.
 */
public final class AdapterValidator {
  private AdapterValidator() {}

  /** Every problem of {@code adapter} against {@code expected}; empty when it is acceptable. */
  public static List<String> problems(LoraAdapter adapter, AdapterExpectations expected) {
    List<String> problems = new ArrayList<>();
    if (!Objects.equals(adapter.baseModel(), expected.baseModel())) {
      problems.add(field("base_model_name_or_path", adapter.baseModel(), expected.baseModel()));
    }
    if (adapter.taskType() != expected.taskType()) {
      problems.add(field("task_type", adapter.taskType(), expected.taskType()));
    }
    if (Double.compare(adapter.alpha(), expected.alpha()) != 0) {
      problems.add(field("lora_alpha", adapter.alpha(), expected.alpha()));
    }
    if (!new HashSet<>(adapter.targetModules()).equals(expected.targetModules())) {
      problems.add(
          field(
              "target_modules",
              new TreeSet<>(adapter.targetModules()),
              new TreeSet<>(expected.targetModules())));
    }
    if (!new HashSet<>(adapter.modulesToSave()).equals(expected.modulesToSave())) {
      problems.add(
          field(
              "modules_to_save",
              new TreeSet<>(adapter.modulesToSave()),
              new TreeSet<>(expected.modulesToSave())));
    }
    for (String name : expected.modules().keySet()) {
      if (!adapter.modules().containsKey(name)) {
        problems.add(tensor(PeftNames.loraA(name), "missing: module " + name + " is expected"));
      }
    }
    for (LoraModule module : adapter.modules().values()) {
      ModuleShape shape = expected.modules().get(module.name());
      if (shape == null) {
        problems.add(
            tensor(
                PeftNames.loraA(module.name()),
                "unexpected module " + module.name() + " (not adapted by the federation)"));
        continue;
      }
      checkModule(module, shape, expected, problems);
    }
    for (Map.Entry<String, List<Integer>> entry : expected.extraTensorShapes().entrySet()) {
      FloatTensor tensor = adapter.extraTensors().get(entry.getKey());
      String name = PeftNames.extra(entry.getKey());
      if (tensor == null) {
        problems.add(tensor(name, "missing"));
      } else if (!Arrays.stream(tensor.shape()).boxed().toList().equals(entry.getValue())) {
        problems.add(
            tensor(
                name,
                "shape " + Arrays.toString(tensor.shape()) + " differs from " + entry.getValue()));
      } else {
        checkFinite(name, tensor, problems);
      }
    }
    for (String parameter : adapter.extraTensors().keySet()) {
      if (!expected.extraTensorShapes().containsKey(parameter)) {
        problems.add(tensor(PeftNames.extra(parameter), "unexpected extra tensor"));
      }
    }
    return problems;
  }

  /**
   * Checks {@code adapter} (from {@code source}) and throws when it has any problem.
   *
   * @throws AdapterValidationException listing every problem, prefixed by {@code source}
   */
  public static void validate(LoraAdapter adapter, String source, AdapterExpectations expected)
      throws AdapterValidationException {
    List<String> problems = problems(adapter, expected);
    if (!problems.isEmpty()) {
      throw new AdapterValidationException(source, problems);
    }
  }

  /**
   * Reads the PEFT adapter in {@code directory} and validates it.
   *
   * @throws AdapterFormatException when it is malformed or does not meet {@code expected}
   */
  public static LoraAdapter readAndValidate(Path directory, AdapterExpectations expected)
      throws IOException {
    LoraAdapter adapter = PeftAdapterReader.read(directory);
    validate(adapter, directory.resolve(PeftNames.WEIGHTS_FILE).toString(), expected);
    return adapter;
  }

  private static void checkModule(
      LoraModule module, ModuleShape shape, AdapterExpectations expected, List<String> problems) {
    String aName = PeftNames.loraA(module.name());
    String bName = PeftNames.loraB(module.name());
    if (module.inFeatures() != shape.inFeatures()) {
      problems.add(
          tensor(
              aName,
              "shape "
                  + Arrays.toString(module.a().shape())
                  + " has "
                  + module.inFeatures()
                  + " input features, the base module has "
                  + shape.inFeatures()));
    }
    if (module.outFeatures() != shape.outFeatures()) {
      problems.add(
          tensor(
              bName,
              "shape "
                  + Arrays.toString(module.b().shape())
                  + " has "
                  + module.outFeatures()
                  + " output features, the base module has "
                  + shape.outFeatures()));
    }
    if (module.rank() < 1) {
      problems.add(tensor(aName, "rank " + module.rank() + " must be at least 1"));
    } else if (expected.requiredRank().isPresent()
        && module.rank() != expected.requiredRank().getAsInt()) {
      problems.add(
          tensor(
              aName,
              "rank "
                  + module.rank()
                  + " differs from the client's assigned rank "
                  + expected.requiredRank().getAsInt()));
    }
    checkFinite(aName, module.a(), problems);
    checkFinite(bName, module.b(), problems);
  }

  private static void checkFinite(String name, FloatTensor tensor, List<String> problems) {
    float[] data = tensor.data();
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        problems.add(tensor(name, "non-finite value " + data[i] + " at element " + i));
        return;
      }
    }
  }

  private static String tensor(String name, String problem) {
    return "tensor '" + name + "': " + problem;
  }

  private static String field(String name, Object actual, Object expected) {
    return "field '" + name + "': " + actual + " differs from the federation's " + expected;
  }
}
