package dev.flotilla.core.aggregation;

import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Validated inputs of one round: consistent client adapters and normalised weights, plus what all
 * strategies share (extra-tensor averaging, assembling output adapters) (package-private).
 */
final class RoundInputs {
  private final List<ClientUpdate> updates;
  private final double[] weights;
  private final AggregationConfig config;
  private final LoraAdapter template;

  private RoundInputs(List<ClientUpdate> updates, double[] weights, AggregationConfig config) {
    this.updates = updates;
    this.weights = weights;
    this.config = config;
    this.template = updates.get(0).adapter();
  }

  static RoundInputs of(List<ClientUpdate> updates, AggregationConfig config) {
    if (updates == null || updates.isEmpty()) {
      throw new IllegalArgumentException("no client updates to aggregate");
    }
    List<ClientUpdate> list = List.copyOf(updates);
    Set<String> ids = new HashSet<>();
    for (ClientUpdate u : list) {
      if (!ids.add(u.clientId())) {
        throw new IllegalArgumentException("duplicate client id " + u.clientId());
      }
    }
    checkConsistent(list);
    return new RoundInputs(list, weights(list, config.weighting()), config);
  }

  private static double[] weights(List<ClientUpdate> updates, Weighting weighting) {
    double[] w = new double[updates.size()];
    if (weighting == Weighting.UNIFORM) {
      Arrays.fill(w, 1.0 / w.length);
      return w;
    }
    double total = updates.stream().mapToDouble(ClientUpdate::numSamples).sum();
    if (!(total > 0)) {
      throw new IllegalArgumentException(
          "weighting=samples but every client reported numSamples=0; use weighting=uniform");
    }
    for (int i = 0; i < w.length; i++) {
      w[i] = updates.get(i).numSamples() / total;
    }
    return w;
  }

  private static void checkConsistent(List<ClientUpdate> updates) {
    ClientUpdate first = updates.get(0);
    LoraAdapter ref = first.adapter();
    for (ClientUpdate u : updates) {
      LoraAdapter a = u.adapter();
      String who = "client " + u.clientId();
      if (!Objects.equals(a.baseModel(), ref.baseModel())) {
        throw new IllegalArgumentException(
            who + ": base model " + a.baseModel() + " differs from " + ref.baseModel());
      }
      if (!a.modules().keySet().equals(ref.modules().keySet())) {
        throw new IllegalArgumentException(
            who
                + ": LoRA modules "
                + a.modules().keySet()
                + " differ from client "
                + first.clientId()
                + "'s "
                + ref.modules().keySet());
      }
      for (LoraModule m : a.modules().values()) {
        LoraModule r = ref.modules().get(m.name());
        if (m.outFeatures() != r.outFeatures() || m.inFeatures() != r.inFeatures()) {
          throw new IllegalArgumentException(
              who
                  + ": module "
                  + m.name()
                  + " is "
                  + m.outFeatures()
                  + "x"
                  + m.inFeatures()
                  + " but client "
                  + first.clientId()
                  + " has "
                  + r.outFeatures()
                  + "x"
                  + r.inFeatures());
        }
      }
      if (!a.extraTensors().keySet().equals(ref.extraTensors().keySet())) {
        throw new IllegalArgumentException(
            who
                + ": extra tensors "
                + a.extraTensors().keySet()
                + " differ from "
                + ref.extraTensors().keySet());
      }
      a.extraTensors()
          .forEach(
              (name, t) -> {
                if (!Arrays.equals(t.shape(), ref.extraTensors().get(name).shape())) {
                  throw new IllegalArgumentException(
                      who
                          + ": extra tensor "
                          + name
                          + " has shape "
                          + Arrays.toString(t.shape())
                          + ", expected "
                          + Arrays.toString(ref.extraTensors().get(name).shape()));
                }
              });
    }
  }

  AggregationConfig config() {
    return config;
  }

  /** The normalised weight p_c of client {@code c}. */
  double weight(int c) {
    return weights[c];
  }

  String clientId(int c) {
    return updates.get(c).clientId();
  }

  List<String> moduleNames() {
    return new ArrayList<>(template.modules().keySet());
  }

  /** Module {@code name} of every client, in client order. */
  List<LoraModule> modules(String name) {
    return updates.stream().map(u -> u.adapter().modules().get(name)).toList();
  }

  /** {@code lora_alpha} of client {@code c}. */
  double alpha(int c) {
    return updates.get(c).adapter().alpha();
  }

  /** The weighted average Σ p_c t_c of every extra tensor. */
  Map<String, FloatTensor> averagedExtraTensors() {
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, FloatTensor> e : template.extraTensors().entrySet()) {
      double[] sum = new double[e.getValue().data().length];
      for (int c = 0; c < updates.size(); c++) {
        float[] t = updates.get(c).adapter().extraTensors().get(e.getKey()).data();
        for (int i = 0; i < sum.length; i++) {
          sum[i] += weights[c] * t[i];
        }
      }
      float[] avg = new float[sum.length];
      for (int i = 0; i < sum.length; i++) {
        avg[i] = (float) sum[i];
      }
      out.put(e.getKey(), new FloatTensor(e.getValue().shape(), avg));
    }
    return out;
  }

  Map<String, Double> weightMap() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (int c = 0; c < updates.size(); c++) {
      out.put(updates.get(c).clientId(), weights[c]);
    }
    return out;
  }

  /**
   * An output adapter with the clients' metadata, the configured alpha and these weights; every
   * all-zero component gets a fresh A row ({@link FreshComponents}).
   */
  LoraAdapter adapter(Map<String, LoraModule> modules, Map<String, FloatTensor> extras) {
    Map<String, LoraModule> trainable = new LinkedHashMap<>();
    modules.forEach(
        (name, m) -> trainable.put(name, FreshComponents.revive(m, config.paddingSeed())));
    return new LoraAdapter(
        template.baseModel(),
        template.taskType(),
        config.alpha(),
        template.dropout(),
        template.targetModules(),
        trainable,
        template.modulesToSave(),
        extras);
  }

  /** The first {@code rank} rows of A and columns of B of a padded pair, zero-padded if short. */
  static LoraModule truncate(String name, float[] a, float[] b, int have, int rank, int d, int k) {
    float[] outA = new float[rank * k];
    float[] outB = new float[d * rank];
    int n = Math.min(have, rank);
    System.arraycopy(a, 0, outA, 0, n * k);
    for (int row = 0; row < d; row++) {
      System.arraycopy(b, row * have, outB, row * rank, n);
    }
    return new LoraModule(
        name,
        new FloatTensor(new int[] {rank, k}, outA),
        new FloatTensor(new int[] {d, rank}, outB));
  }
}
