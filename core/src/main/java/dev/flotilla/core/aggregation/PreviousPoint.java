package dev.flotilla.core.aggregation;

import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The previous global point of a server optimizer step, checked against the round's clients
 * (package-private), and the element-wise step of the extra tensors shared by all strategies.
 */
final class PreviousPoint {
  private final LoraAdapter adapter;

  private PreviousPoint(LoraAdapter adapter) {
    this.adapter = adapter;
  }

  /** The previous point of {@code history} for a round with these inputs. */
  static PreviousPoint of(ServerHistory history, RoundInputs in) {
    LoraAdapter previous = history.previous().orElseThrow();
    for (String name : in.moduleNames()) {
      LoraModule client = in.modules(name).get(0);
      LoraModule prev = previous.modules().get(name);
      if (prev == null) {
        throw new IllegalArgumentException(
            "the previous global adapter has no module " + name + " (server optimizer)");
      }
      if (prev.outFeatures() != client.outFeatures() || prev.inFeatures() != client.inFeatures()) {
        throw new IllegalArgumentException(
            "module "
                + name
                + " of the previous global adapter is "
                + prev.outFeatures()
                + "x"
                + prev.inFeatures()
                + ", the clients' "
                + client.outFeatures()
                + "x"
                + client.inFeatures());
      }
    }
    return new PreviousPoint(previous);
  }

  LoraModule module(String name) {
    return adapter.modules().get(name);
  }

  /** The scaling α/r of module {@code name} of the previous adapter. */
  double scaling(String name) {
    return adapter.scaling(name);
  }

  /** The server step on every extra tensor (e.g. the classifier head) from its averaged value. */
  Map<String, FloatTensor> stepExtras(
      ServerOptimizerConfig cfg,
      Map<String, FloatTensor> averaged,
      OptimizerState old,
      Map<String, FloatTensor> next) {
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    averaged.forEach(
        (name, avg) -> {
          FloatTensor prev = adapter.extraTensors().get(name);
          if (prev == null || prev.data().length != avg.data().length) {
            throw new IllegalArgumentException(
                "the previous global adapter has no tensor " + name + " of the clients' shape");
          }
          double[] target = new double[avg.data().length];
          for (int i = 0; i < target.length; i++) {
            target[i] = avg.data()[i];
          }
          float[] stepped =
              ElementwiseStep.apply(cfg, name, avg.shape(), prev.data(), target, old, next);
          out.put(name, new FloatTensor(avg.shape(), stepped));
        });
    return out;
  }
}
