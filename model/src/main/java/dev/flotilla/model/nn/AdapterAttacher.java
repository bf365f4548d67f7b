package dev.flotilla.model.nn;

import ai.djl.ndarray.NDManager;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import dev.flotilla.model.BadInputException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Attaches LoRA branches to the targeted layers, fresh or from a starting adapter. */
final class AdapterAttacher {
  private AdapterAttacher() {}

  /**
   * Fresh init when {@code start} is null; otherwise every targeted layer takes its module (of any
   * rank, scaled by alpha / its rank) from {@code start}, which must have exactly those modules and
   * the same alpha.
   */
  static void attach(
      List<LoraLinear> layers, LoraAdapter start, LoraSettings settings, NDManager manager) {
    if (start == null) {
      layers.forEach(layer -> layer.attachFresh(manager, settings));
      return;
    }
    if (Math.abs(start.alpha() - settings.alpha()) > 1e-9 * settings.alpha()) {
      throw new BadInputException(
          "starting adapter has lora_alpha " + start.alpha() + ", expected " + settings.alpha());
    }
    Set<String> unused = new TreeSet<>(start.modules().keySet());
    for (LoraLinear layer : layers) {
      LoraModule module = start.modules().get(layer.name());
      if (module == null) {
        throw new BadInputException("starting adapter has no module " + layer.name());
      }
      try {
        layer.attach(manager, module, settings);
      } catch (IllegalArgumentException e) {
        throw new BadInputException("starting adapter: " + e.getMessage(), e);
      }
      unused.remove(layer.name());
    }
    if (!unused.isEmpty()) {
      throw new BadInputException(
          "starting adapter has modules outside the target modules: " + unused);
    }
  }
}
