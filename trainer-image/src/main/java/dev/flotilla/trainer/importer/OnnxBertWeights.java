package dev.flotilla.trainer.importer;

import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.model.BadInputException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recovers Hugging Face BERT parameter names from an ONNX export: named initializers keep their
 * names; each anonymous MatMul weight ({@code onnx::MatMul_787}, stored {@code [in, out]}) is named
 * after the bias its output is added to ({@code ….query.bias} → {@code ….query.weight}) and
 * transposed to PyTorch's {@code [out, in]}.
 */
final class OnnxBertWeights {
  private OnnxBertWeights() {}

  /** The extracted weights plus the LayerNorm epsilon found in the graph (or 1e-12). */
  record Result(Map<String, FloatTensor> weights, double layerNormEps) {}

  static Result extract(ByteBuffer onnx, String source) {
    OnnxGraph graph;
    try {
      graph = OnnxGraph.parse(onnx);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(source + ": cannot parse ONNX model: " + e.getMessage(), e);
    }
    Map<String, FloatTensor> init = graph.initializers();
    Map<String, OnnxGraph.Node> consumerAdd = new HashMap<>();
    Map<String, FloatTensor> constants = new HashMap<>();
    for (OnnxGraph.Node node : graph.nodes()) {
      if (node.op().equals("Add")) {
        node.inputs().forEach(input -> consumerAdd.put(input, node));
      } else if (node.op().equals("Constant") && node.tensorAttributes().containsKey("value")) {
        constants.put(node.outputs().get(0), node.tensorAttributes().get("value"));
      }
    }
    Map<String, FloatTensor> weights = new TreeMap<>();
    double eps = 1e-12;
    for (OnnxGraph.Node node : graph.nodes()) {
      if (node.op().equals("MatMul") && node.inputs().size() == 2) {
        String weightName = node.inputs().get(1);
        FloatTensor matrix = init.get(weightName);
        OnnxGraph.Node add = consumerAdd.get(node.outputs().get(0));
        if (matrix == null || add == null) {
          continue;
        }
        String bias =
            add.inputs().stream()
                .filter(i -> i.endsWith(".bias") && init.containsKey(i))
                .findFirst()
                .orElse(null);
        if (bias == null) {
          throw new BadInputException(
              source + ": MatMul weight " + weightName + " is not followed by a named bias");
        }
        weights.put(
            bias.substring(0, bias.length() - ".bias".length()) + ".weight", transpose(matrix));
      } else if (node.op().equals("Add")
          && node.inputs().get(0).endsWith("embeddings/LayerNorm/ReduceMean_1_output_0")) {
        FloatTensor constant = constants.get(node.inputs().get(1));
        if (constant != null && constant.data().length == 1) {
          eps = Double.parseDouble(Float.toString(constant.data()[0]));
        }
      }
    }
    init.forEach(
        (name, tensor) -> {
          if (!name.startsWith("onnx::")) {
            weights.put(name, tensor);
          }
        });
    return new Result(weights, eps);
  }

  static FloatTensor transpose(FloatTensor m) {
    int rows = m.dim(0);
    int cols = m.dim(1);
    float[] src = m.data();
    float[] out = new float[src.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[c * rows + r] = src[r * cols + c];
      }
    }
    return new FloatTensor(new int[] {cols, rows}, out);
  }
}
