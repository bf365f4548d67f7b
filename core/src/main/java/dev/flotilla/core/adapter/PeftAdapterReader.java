package dev.flotilla.core.adapter;

import dev.flotilla.core.safetensors.SafetensorsContent;
import dev.flotilla.core.safetensors.SafetensorsReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads a PEFT LoRA adapter ({@code adapter_config.json} + {@code adapter_model.safetensors}) into
 * a {@link LoraAdapter}, checking that the tensors agree with the configuration: every module has
 * both a 2-D {@code lora_A} {@code [r, in]} and {@code lora_B} {@code [out, r]}, its rank is the
 * one {@code r}/{@code rank_pattern} declare, it is selected by {@code target_modules}, every other
 * tensor belongs to modules_to_save, and all values are finite. Errors name the file and tensor.
 */
public final class PeftAdapterReader {
  /** The largest {@code adapter_config.json} accepted (real ones are about 1 KiB). */
  public static final int MAX_CONFIG_BYTES = 1 << 20;

  private PeftAdapterReader() {}

  /** Reads the adapter in {@code directory}. */
  public static LoraAdapter read(Path directory) throws IOException {
    Path configFile = directory.resolve(PeftNames.CONFIG_FILE);
    Path weightsFile = directory.resolve(PeftNames.WEIGHTS_FILE);
    for (Path required : new Path[] {configFile, weightsFile}) {
      if (!Files.isRegularFile(required)) {
        throw AdapterFormatException.forFile(
            required.toString(),
            "missing (a PEFT adapter directory holds "
                + PeftNames.CONFIG_FILE
                + " and "
                + PeftNames.WEIGHTS_FILE
                + ")");
      }
    }
    PeftAdapterConfig config;
    try (InputStream in = Files.newInputStream(configFile)) {
      config =
          PeftAdapterConfig.parse(readConfig(in, configFile.toString()), configFile.toString());
    }
    Map<String, FloatTensor> tensors;
    try (SafetensorsReader reader = SafetensorsReader.open(weightsFile)) {
      tensors = reader.readAll();
    }
    return assemble(config, tensors, weightsFile.toString());
  }

  /**
   * Reads an adapter from two streams (e.g. object-storage downloads); neither is closed.
   *
   * @param configSource label of the config stream for error messages
   * @param weightsLength the size of the weights stream in bytes (e.g. the object's stated size):
   *     the safetensors header must describe exactly that many bytes, so a header cannot make the
   *     reader allocate more than the stream holds
   * @param weightsSource label of the weights stream for error messages
   */
  public static LoraAdapter read(
      InputStream config,
      String configSource,
      InputStream weights,
      long weightsLength,
      String weightsSource)
      throws IOException {
    PeftAdapterConfig parsed =
        PeftAdapterConfig.parse(readConfig(config, configSource), configSource);
    SafetensorsContent content =
        SafetensorsReader.readAll(
            weights, weightsLength, weightsSource, SafetensorsReader.Options.DEFAULT);
    return assemble(parsed, content.tensors(), weightsSource);
  }

  /**
   * Builds the adapter from a parsed configuration and the PEFT-named tensors of {@code
   * weightsSource}.
   */
  public static LoraAdapter assemble(
      PeftAdapterConfig config, Map<String, FloatTensor> tensors, String weightsSource)
      throws AdapterFormatException {
    Map<String, FloatTensor> a = new TreeMap<>();
    Map<String, FloatTensor> b = new TreeMap<>();
    Map<String, FloatTensor> extra = new TreeMap<>();
    for (Map.Entry<String, FloatTensor> entry : tensors.entrySet()) {
      String key = entry.getKey();
      if (!key.startsWith(PeftNames.PREFIX)) {
        throw AdapterFormatException.forTensor(
            weightsSource, key, "PEFT tensor names start with '" + PeftNames.PREFIX + "'");
      }
      String rest = key.substring(PeftNames.PREFIX.length());
      if (rest.endsWith(PeftNames.LORA_A_SUFFIX)) {
        a.put(strip(rest, PeftNames.LORA_A_SUFFIX), entry.getValue());
      } else if (rest.endsWith(PeftNames.LORA_B_SUFFIX)) {
        b.put(strip(rest, PeftNames.LORA_B_SUFFIX), entry.getValue());
      } else if (PeftNames.looksLikeLoraTensor(rest)) {
        throw AdapterFormatException.forTensor(
            weightsSource,
            key,
            "unsupported LoRA tensor: only lora_A/lora_B weights of linear layers are supported"
                + " (not DoRA magnitudes, embedding LoRA or LoRA biases)");
      } else if (PeftNames.isSavedModuleParameter(rest, config.modulesToSave())) {
        extra.put(rest, entry.getValue());
      } else {
        throw AdapterFormatException.forTensor(
            weightsSource,
            key,
            "is neither a lora_A/lora_B weight nor inside modules_to_save "
                + config.modulesToSave());
      }
    }
    TreeSet<String> names = new TreeSet<>(a.keySet());
    names.addAll(b.keySet());
    if (names.isEmpty()) {
      throw AdapterFormatException.forFile(weightsSource, "holds no lora_A/lora_B tensors");
    }
    Map<String, LoraModule> modules = new TreeMap<>();
    for (String name : names) {
      modules.put(name, module(config, name, a.get(name), b.get(name), weightsSource));
    }
    return new LoraAdapter(
        config.baseModel(),
        config.taskType(),
        config.loraAlpha(),
        config.loraDropout(),
        config.targetModules(),
        modules,
        config.modulesToSave(),
        extra);
  }

  private static LoraModule module(
      PeftAdapterConfig config, String name, FloatTensor a, FloatTensor b, String source)
      throws AdapterFormatException {
    String aName = PeftNames.loraA(name);
    String bName = PeftNames.loraB(name);
    if (a == null || b == null) {
      throw AdapterFormatException.forTensor(
          source,
          a == null ? aName : bName,
          "missing, but its partner " + (a == null ? bName : aName) + " is present");
    }
    if (a.rank() != 2) {
      throw AdapterFormatException.forTensor(
          source, aName, "must be a matrix [r, in], has shape " + Arrays.toString(a.shape()));
    }
    if (b.rank() != 2) {
      throw AdapterFormatException.forTensor(
          source, bName, "must be a matrix [out, r], has shape " + Arrays.toString(b.shape()));
    }
    if (a.dim(0) != b.dim(1)) {
      throw AdapterFormatException.forTensor(
          source,
          bName,
          "shape "
              + Arrays.toString(b.shape())
              + " has rank "
              + b.dim(1)
              + " but "
              + aName
              + " "
              + Arrays.toString(a.shape())
              + " has rank "
              + a.dim(0));
    }
    int declared = config.rankOf(name);
    if (a.dim(0) != declared) {
      throw AdapterFormatException.forTensor(
          source,
          aName,
          "rank "
              + a.dim(0)
              + " differs from the rank "
              + declared
              + " that adapter_config.json declares (r / rank_pattern)");
    }
    if (config.targetModules().stream().noneMatch(t -> PeftNames.matchesModule(name, t))) {
      throw AdapterFormatException.forTensor(
          source,
          aName,
          "module " + name + " is not selected by target_modules " + config.targetModules());
    }
    return new LoraModule(name, a, b);
  }

  private static byte[] readConfig(InputStream in, String source) throws IOException {
    byte[] json = in.readNBytes(MAX_CONFIG_BYTES + 1);
    if (json.length > MAX_CONFIG_BYTES) {
      throw AdapterFormatException.forFile(
          source, "larger than " + MAX_CONFIG_BYTES + " bytes: not an adapter config");
    }
    return json;
  }

  private static String strip(String value, String suffix) {
    return value.substring(0, value.length() - suffix.length());
  }
}
