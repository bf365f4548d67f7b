package dev.flotilla.core.adapter;

import java.util.Collection;

/**
 * File and tensor names of the PEFT adapter layout, as written by PEFT's {@code save_pretrained}
 * ({@code get_peft_model_state_dict} with the adapter name removed).
 */
public final class PeftNames {
  /** The weights file of a PEFT adapter directory. */
  public static final String WEIGHTS_FILE = "adapter_model.safetensors";

  /** The configuration file of a PEFT adapter directory. */
  public static final String CONFIG_FILE = "adapter_config.json";

  /** The prefix of every tensor name: the PEFT model wraps the base model twice. */
  public static final String PREFIX = "base_model.model.";

  /** Suffix of a module's down projection A ({@code [r, in]}). */
  public static final String LORA_A_SUFFIX = ".lora_A.weight";

  /** Suffix of a module's up projection B ({@code [out, r]}). */
  public static final String LORA_B_SUFFIX = ".lora_B.weight";

  private PeftNames() {}

  /** {@code base_model.model.<module>.lora_A.weight}. */
  public static String loraA(String module) {
    return PREFIX + module + LORA_A_SUFFIX;
  }

  /** {@code base_model.model.<module>.lora_B.weight}. */
  public static String loraB(String module) {
    return PREFIX + module + LORA_B_SUFFIX;
  }

  /** {@code base_model.model.<parameter>} for a fully trained parameter (modules_to_save). */
  public static String extra(String parameter) {
    return PREFIX + parameter;
  }

  /**
   * Whether PEFT's module-name rule selects {@code module} for entry {@code target}: an exact match
   * or a match of its last dotted components (used by {@code target_modules} lists and {@code
   * modules_to_save}).
   */
  public static boolean matchesModule(String module, String target) {
    return module.equals(target) || module.endsWith("." + target);
  }

  /**
   * Whether parameter {@code parameter} (e.g. {@code classifier.out_proj.weight}) belongs to a
   * module listed in {@code modulesToSave}: some enclosing module path matches an entry.
   */
  public static boolean isSavedModuleParameter(String parameter, Collection<String> modulesToSave) {
    for (int dot = parameter.indexOf('.'); dot > 0; dot = parameter.indexOf('.', dot + 1)) {
      String module = parameter.substring(0, dot);
      for (String target : modulesToSave) {
        if (matchesModule(module, target)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether a parameter name would be mistaken for a LoRA tensor by PEFT or by this reader. */
  static boolean looksLikeLoraTensor(String parameter) {
    return parameter.startsWith("lora_") || parameter.contains(".lora_");
  }
}
