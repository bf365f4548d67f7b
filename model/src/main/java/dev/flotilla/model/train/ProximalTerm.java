package dev.flotilla.model.train;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * FedProx's proximal term μ/2·‖w − w_start‖² over the LoRA factors (Li et al., MLSys 2020): the
 * factors are copied when local training starts, and each step adds the term's gradient μ·(w −
 * w_start) to theirs before clipping, which pulls the client's update toward the round's starting
 * adapter. The reported loss stays the data loss.
 */
final class ProximalTerm implements AutoCloseable {
  private final float mu;
  private final Map<String, NDArray> anchors = new LinkedHashMap<>();

  /**
   * The term with coefficient {@code mu} anchored at the current LoRA factors of {@code params}.
   */
  ProximalTerm(Map<String, NDArray> params, double mu) {
    this.mu = (float) mu;
    if (mu > 0) {
      try (NoGrad ignored = new NoGrad()) {
        params.forEach(
            (name, p) -> {
              if (name.endsWith(".lora_A.weight") || name.endsWith(".lora_B.weight")) {
                NDArray copy = p.duplicate();
                copy.detach();
                anchors.put(name, copy);
              }
            });
      }
    }
  }

  /** Adds μ·(w − w_start) to the gradient of every LoRA factor of {@code params}. */
  void addGradient(Map<String, NDArray> params) {
    if (anchors.isEmpty()) {
      return;
    }
    try (NoGrad ignored = new NoGrad()) {
      anchors.forEach(
          (name, anchor) -> {
            NDArray p = params.get(name);
            try (NDArray g = p.getGradient();
                NDArray diff = p.sub(anchor)) {
              g.addi(diff.muli(mu));
            }
          });
    }
  }

  @Override
  public void close() {
    anchors.values().forEach(NDArray::close);
  }
}
