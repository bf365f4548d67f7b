package dev.flotilla.model.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.flotilla.model.nn.ModelBatch;
import java.util.Arrays;
import java.util.List;

/** Pads a list of encoded examples to the longest one (dynamic padding, right side). */
public final class BatchBuilder {
  private BatchBuilder() {}

  /** The padded batch as device arrays in {@code manager}. */
  public static ModelBatch build(NDManager manager, List<EncodedExample> examples) {
    int batch = examples.size();
    int length = examples.stream().mapToInt(e -> e.ids().length).max().orElse(0);
    long[] ids = new long[batch * length];
    long[] types = new long[batch * length];
    long[] mask = new long[batch * length];
    boolean lm = examples.get(0).scored() != null;
    float[] scored = lm ? new float[batch * length] : null;
    long[] labels = new long[batch];
    for (int b = 0; b < batch; b++) {
      EncodedExample e = examples.get(b);
      System.arraycopy(e.ids(), 0, ids, b * length, e.ids().length);
      System.arraycopy(e.typeIds(), 0, types, b * length, e.typeIds().length);
      Arrays.fill(mask, b * length, b * length + e.ids().length, 1L);
      if (lm) {
        System.arraycopy(e.scored(), 0, scored, b * length, e.scored().length);
      }
      labels[b] = e.label();
    }
    Shape shape = new Shape(batch, length);
    NDArray labelArray =
        lm ? manager.create(scored, shape) : manager.create(labels, new Shape(batch));
    return new ModelBatch(
        manager.create(ids, shape),
        manager.create(mask, shape),
        manager.create(types, shape),
        labelArray);
  }
}
