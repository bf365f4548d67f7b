package dev.flotilla.model.nn;

import dev.flotilla.model.BadInputException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Resolves target-module names to layers with PEFT's rule (a module matches target {@code t} when
 * its name equals {@code t} or ends with {@code .t}), after mapping the family-neutral aliases
 * {@code query/key/value} to the family's own names.
 */
public final class LoraTargets {
  private static final Map<ModelFamily, Map<String, String>> ALIASES =
      Map.of(
          ModelFamily.BERT, Map.of(),
          ModelFamily.DISTILBERT,
              Map.of("query", "q_lin", "key", "k_lin", "value", "v_lin", "output", "out_lin"),
          ModelFamily.LLAMA,
              Map.of("query", "q_proj", "key", "k_proj", "value", "v_proj", "output", "o_proj"));

  private static final Pattern LAYER_PREFIX = Pattern.compile("^.*?\\.layers?\\.\\d+\\.");

  private LoraTargets() {}

  /** The target names recorded in adapter_config.json (aliases resolved, order kept). */
  public static List<String> resolveNames(ModelFamily family, List<String> targets) {
    Set<String> names = new LinkedHashSet<>();
    for (String target : targets) {
      names.add(ALIASES.get(family).getOrDefault(target, target));
    }
    return List.copyOf(names);
  }

  /** Whether module {@code name} matches any of the resolved targets. */
  static boolean matches(String name, List<String> resolved) {
    for (String target : resolved) {
      if (name.equals(target) || name.endsWith("." + target)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The candidate layers selected by {@code resolved}; every target must match at least one layer.
   */
  static List<LoraLinear> select(List<LoraLinear> candidates, List<String> resolved) {
    List<LoraLinear> selected = new ArrayList<>();
    for (LoraLinear layer : candidates) {
      if (matches(layer.name(), resolved)) {
        selected.add(layer);
      }
    }
    for (String target : resolved) {
      boolean used = candidates.stream().anyMatch(l -> matches(l.name(), List.of(target)));
      if (!used) {
        Set<String> suffixes = new TreeSet<>();
        for (LoraLinear layer : candidates) {
          suffixes.add(LAYER_PREFIX.matcher(layer.name()).replaceFirst(""));
        }
        throw new BadInputException(
            "target module '" + target + "' matches no linear layer; available: " + suffixes);
      }
    }
    return selected;
  }
}
