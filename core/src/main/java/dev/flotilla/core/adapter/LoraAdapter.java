package dev.flotilla.core.adapter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An in-memory LoRA adapter: the adapted modules (ranks may differ per module), the shared {@code
 * lora_alpha}, and extra fully-trained tensors such as a classification head ({@code
 * modules_to_save}).
 *
 * @param baseModel {@code base_model_name_or_path}
 * @param taskType the PEFT task type
 * @param alpha {@code lora_alpha}; a module of rank r is scaled by {@code alpha / r}
 * @param dropout {@code lora_dropout} (training-time only, recorded for PEFT)
 * @param targetModules {@code target_modules}: the module-name suffixes LoRA was applied to
 * @param modules the adapted modules keyed by module name, in name order
 * @param modulesToSave {@code modules_to_save}: names of fully-trained modules (e.g. {@code
 *     classifier})
 * @param extraTensors fully-trained tensors keyed by parameter name (e.g. {@code
 *     classifier.weight}), in name order
 */
public record LoraAdapter(
    String baseModel,
    TaskType taskType,
    double alpha,
    double dropout,
    List<String> targetModules,
    Map<String, LoraModule> modules,
    List<String> modulesToSave,
    Map<String, FloatTensor> extraTensors) {

  /** Copies the collections into immutable, name-ordered views and checks module keys. */
  public LoraAdapter {
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException(
          "lora_alpha must be a positive finite number, got " + alpha);
    }
    targetModules = List.copyOf(targetModules);
    modulesToSave = List.copyOf(modulesToSave);
    Map<String, LoraModule> sorted = new TreeMap<>(modules);
    sorted.forEach(
        (key, module) -> {
          if (!key.equals(module.name())) {
            throw new IllegalArgumentException(
                "module map key " + key + " differs from module name " + module.name());
          }
        });
    modules = Collections.unmodifiableMap(new LinkedHashMap<>(sorted));
    extraTensors = Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(extraTensors)));
  }

  /** The scaling {@code alpha / r} applied to module {@code name}'s {@code B·A}. */
  public double scaling(String name) {
    LoraModule module = modules.get(name);
    if (module == null) {
      throw new IllegalArgumentException("no LoRA module named " + name);
    }
    return alpha / module.rank();
  }

  /** The largest rank over all modules (PEFT's {@code r} when ranks differ). */
  public int maxRank() {
    return modules.values().stream().mapToInt(LoraModule::rank).max().orElse(0);
  }

  /** A copy of this adapter with other modules and extra tensors, same configuration. */
  public LoraAdapter withWeights(
      Map<String, LoraModule> newModules, Map<String, FloatTensor> newExtraTensors) {
    return new LoraAdapter(
        baseModel,
        taskType,
        alpha,
        dropout,
        targetModules,
        newModules,
        modulesToSave,
        newExtraTensors);
  }
}
