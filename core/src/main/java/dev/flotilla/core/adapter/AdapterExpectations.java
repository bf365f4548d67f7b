package dev.flotilla.core.adapter;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a client's adapter must look like to join a federation's aggregation: the federation's
 * configuration, the adapted base modules with their shapes, the extra trained tensors with their
 * shapes, and optionally the rank assigned to the client.
 *
 * @param baseModel {@code base_model_name_or_path} (may be {@code null}, compared as is)
 * @param taskType the task type (may be {@code null}, compared as is)
 * @param alpha {@code lora_alpha}
 * @param targetModules {@code target_modules}, compared as a set
 * @param modulesToSave {@code modules_to_save}, compared as a set
 * @param modules module name → base layer shape: exactly these modules must be adapted
 * @param extraTensorShapes parameter name → shape: exactly these extra tensors must be present
 * @param requiredRank the rank every module must have, or empty to accept any rank ≥ 1
 */
public record AdapterExpectations(
    String baseModel,
    TaskType taskType,
    double alpha,
    Set<String> targetModules,
    Set<String> modulesToSave,
    Map<String, ModuleShape> modules,
    Map<String, List<Integer>> extraTensorShapes,
    OptionalInt requiredRank) {

  /** Copies the collections into immutable, name-ordered views. */
  public AdapterExpectations {
    targetModules = Set.copyOf(targetModules);
    modulesToSave = Set.copyOf(modulesToSave);
    modules = Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(modules)));
    extraTensorShapes =
        Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(extraTensorShapes)));
    Objects.requireNonNull(requiredRank, "requiredRank");
    if (requiredRank.isPresent() && requiredRank.getAsInt() < 1) {
      throw new IllegalArgumentException("required rank must be positive: " + requiredRank);
    }
  }

  /**
   * Expectations that a client adapter matches {@code reference} (e.g. the federation's current
   * global adapter) in configuration, module set and shapes, with any rank.
   */
  public static AdapterExpectations matching(LoraAdapter reference) {
    return new AdapterExpectations(
        reference.baseModel(),
        reference.taskType(),
        reference.alpha(),
        Set.copyOf(reference.targetModules()),
        Set.copyOf(reference.modulesToSave()),
        reference.modules().values().stream()
            .collect(Collectors.toMap(LoraModule::name, ModuleShape::of)),
        reference.extraTensors().entrySet().stream()
            .collect(
                Collectors.toMap(
                    Map.Entry::getKey, e -> Arrays.stream(e.getValue().shape()).boxed().toList())),
        OptionalInt.empty());
  }

  /** These expectations, but requiring every module to have rank {@code rank}. */
  public AdapterExpectations withRequiredRank(int rank) {
    return new AdapterExpectations(
        baseModel,
        taskType,
        alpha,
        targetModules,
        modulesToSave,
        modules,
        extraTensorShapes,
        OptionalInt.of(rank));
  }
}
