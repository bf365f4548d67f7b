package dev.flotilla.experiments;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** Deterministic (seeded) sampling and partitioning of an experiment's training examples. */
public final class ClientSplitter {
  private ClientSplitter() {}

  /** The first {@code count} examples of a seeded shuffle of {@code pool}. */
  public static List<LabelledText> sample(List<LabelledText> pool, int count, long seed) {
    if (count > pool.size()) {
      throw new IllegalArgumentException(
          "asked for " + count + " training examples, the pool has " + pool.size());
    }
    List<LabelledText> shuffled = new ArrayList<>(pool);
    Collections.shuffle(shuffled, new Random(seed));
    return List.copyOf(shuffled.subList(0, count));
  }

  /** Divides {@code examples} among {@code clients} clients as {@code partition} says. */
  public static List<List<LabelledText>> split(
      List<LabelledText> examples, int clients, Partition partition, long seed) {
    if (clients < 1 || clients > examples.size()) {
      throw new IllegalArgumentException(
          "cannot split " + examples.size() + " examples among " + clients + " clients");
    }
    List<LabelledText> order = new ArrayList<>(examples);
    Random random = new Random(seed);
    Collections.shuffle(order, random);
    List<List<LabelledText>> parts = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      parts.add(new ArrayList<>());
    }
    switch (partition) {
      case IID -> {
        for (int i = 0; i < order.size(); i++) {
          parts.get(i % clients).add(order.get(i));
        }
      }
      case LABEL_SKEW -> {
        order.sort(Comparator.comparingInt(LabelledText::label));
        List<List<LabelledText>> shards = contiguous(order, 2 * clients);
        List<Integer> shardOrder = new ArrayList<>();
        for (int s = 0; s < shards.size(); s++) {
          shardOrder.add(s);
        }
        Collections.shuffle(shardOrder, random);
        for (int c = 0; c < clients; c++) {
          parts.get(c).addAll(shards.get(shardOrder.get(2 * c)));
          parts.get(c).addAll(shards.get(shardOrder.get(2 * c + 1)));
        }
      }
      case DOMAIN -> {
        order.sort(Comparator.comparing(LabelledText::domain));
        parts = contiguous(order, clients);
      }
    }
    return parts.stream().map(List::copyOf).toList();
  }

  private static List<List<LabelledText>> contiguous(List<LabelledText> order, int pieces) {
    List<List<LabelledText>> result = new ArrayList<>();
    for (int p = 0; p < pieces; p++) {
      int from = (int) ((long) order.size() * p / pieces);
      int to = (int) ((long) order.size() * (p + 1) / pieces);
      result.add(new ArrayList<>(order.subList(from, to)));
    }
    return result;
  }
}
