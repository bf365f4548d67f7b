package dev.flotilla.model.nn;

import ai.djl.ndarray.NDArray;
import dev.flotilla.core.adapter.LoraAdapter;
import java.util.List;
import java.util.Map;

/** A frozen base model with LoRA branches and an optional trained task head. */
public interface TrainableModel extends AutoCloseable {

  /** Forward pass with loss; dropout only when {@code training}. */
  ModelOutput forward(ModelBatch batch, boolean training);

  /** The adapted linear layers, in model order. */
  List<LoraLinear> adaptedLayers();

  /** Every trained array keyed by its PEFT-side name (LoRA A/B and head tensors), in order. */
  Map<String, NDArray> trainableParameters();

  /** The current adapter (LoRA modules plus head tensors as modules_to_save). */
  LoraAdapter toAdapter(String baseModel);

  /** Folds every LoRA branch into its base weight (W + α/r·B·A); the model stays usable. */
  void mergeAdapters();

  @Override
  void close();
}
