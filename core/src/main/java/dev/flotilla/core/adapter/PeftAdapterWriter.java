package dev.flotilla.core.adapter;

import dev.flotilla.core.safetensors.DType;
import dev.flotilla.core.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a {@link LoraAdapter} in the PEFT layout that PEFT's {@code PeftModel.from_pretrained} and
 * vLLM load unchanged: {@code adapter_model.safetensors} with {@code
 * base_model.model.<module>.lora_A.weight} ({@code [r, in]}), {@code .lora_B.weight} ({@code [out,
 * r]}) and {@code base_model.model.<parameter>} for modules_to_save tensors, plus {@code
 * adapter_config.json}. Output is deterministic.
 */
public final class PeftAdapterWriter {
  private PeftAdapterWriter() {}

  /** Writes {@code adapter} into {@code directory} (created if needed) with F32 weights. */
  public static void write(LoraAdapter adapter, Path directory) throws IOException {
    write(adapter, directory, DType.F32);
  }

  /**
   * Writes {@code adapter} into {@code directory}; each file is replaced atomically.
   *
   * @param dtype the stored weight type: F32, or F16/BF16 to halve the size
   */
  public static void write(LoraAdapter adapter, Path directory, DType dtype) throws IOException {
    Map<String, FloatTensor> tensors = stateDict(adapter);
    byte[] config = PeftAdapterConfig.of(adapter).toJson();
    Files.createDirectories(directory);
    SafetensorsWriter.write(directory.resolve(PeftNames.WEIGHTS_FILE), tensors, Map.of(), dtype);
    Path configFile = directory.resolve(PeftNames.CONFIG_FILE);
    Path temp = Files.createTempFile(directory, "." + PeftNames.CONFIG_FILE + ".", ".tmp");
    try {
      Files.write(temp, config);
      Files.move(
          temp, configFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Streams {@code adapter_model.safetensors} to {@code out} (not closed). */
  public static void writeWeights(LoraAdapter adapter, OutputStream out, DType dtype)
      throws IOException {
    SafetensorsWriter.write(out, stateDict(adapter), Map.of(), dtype, PeftNames.WEIGHTS_FILE);
  }

  /** Writes {@code adapter_config.json} to {@code out} (not closed). */
  public static void writeConfig(LoraAdapter adapter, OutputStream out) throws IOException {
    out.write(PeftAdapterConfig.of(adapter).toJson());
    out.flush();
  }

  /**
   * The PEFT state dict of {@code adapter}: tensor name → tensor, in name order.
   *
   * @throws IllegalArgumentException when the adapter has no modules, a module is not selected by
   *     target_modules, or an extra tensor is not covered by modules_to_save or would be mistaken
   *     for a LoRA tensor (PEFT would not load such a file)
   */
  public static Map<String, FloatTensor> stateDict(LoraAdapter adapter) {
    if (adapter.modules().isEmpty()) {
      throw new IllegalArgumentException("a PEFT LoRA adapter needs at least one LoRA module");
    }
    Map<String, FloatTensor> tensors = new TreeMap<>();
    for (LoraModule module : adapter.modules().values()) {
      String name = module.name();
      if (name.isEmpty() || name.startsWith(".") || name.endsWith(".")) {
        throw new IllegalArgumentException("invalid module name '" + name + "'");
      }
      if (adapter.targetModules().stream().noneMatch(t -> PeftNames.matchesModule(name, t))) {
        throw new IllegalArgumentException(
            "module " + name + " is not selected by target_modules " + adapter.targetModules());
      }
      tensors.put(PeftNames.loraA(module.name()), module.a());
      tensors.put(PeftNames.loraB(module.name()), module.b());
    }
    for (Map.Entry<String, FloatTensor> entry : adapter.extraTensors().entrySet()) {
      String parameter = entry.getKey();
      if (PeftNames.looksLikeLoraTensor(parameter)) {
        throw new IllegalArgumentException(
            "extra tensor " + parameter + " would be mistaken for a LoRA tensor");
      }
      if (!PeftNames.isSavedModuleParameter(parameter, adapter.modulesToSave())) {
        throw new IllegalArgumentException(
            "extra tensor "
                + parameter
                + " is not inside any of modules_to_save "
                + adapter.modulesToSave());
      }
      tensors.put(PeftNames.extra(parameter), entry.getValue());
    }
    return tensors;
  }
}
