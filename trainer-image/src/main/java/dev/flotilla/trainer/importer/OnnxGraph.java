package dev.flotilla.trainer.importer;

import dev.flotilla.core.adapter.FloatTensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX model needed to recover weights: initializers (float32 tensors) and nodes.
 * Layout: ModelProto.graph = 7; GraphProto.node = 1, initializer = 5; NodeProto input = 1, output =
 * 2, op_type = 4, attribute = 5; TensorProto dims = 1, data_type = 2, float_data = 4, name = 8,
 * raw_data = 9; AttributeProto name = 1, t = 5.
 */
final class OnnxGraph {
  private static final int FLOAT = 1;

  /** One graph node. */
  record Node(
      String op,
      List<String> inputs,
      List<String> outputs,
      Map<String, FloatTensor> tensorAttributes) {}

  private final Map<String, FloatTensor> initializers = new LinkedHashMap<>();
  private final List<Node> nodes = new ArrayList<>();

  /** Parses a serialized ModelProto. */
  static OnnxGraph parse(ByteBuffer model) {
    OnnxGraph graph = new OnnxGraph();
    ProtobufReader reader = new ProtobufReader(model);
    boolean found = false;
    while (reader.next()) {
      if (reader.field() == 7) {
        graph.readGraph(reader.message());
        found = true;
      } else {
        reader.skip();
      }
    }
    if (!found) {
      throw new IllegalArgumentException("not an ONNX model: no graph");
    }
    return graph;
  }

  Map<String, FloatTensor> initializers() {
    return initializers;
  }

  List<Node> nodes() {
    return nodes;
  }

  private void readGraph(ProtobufReader graph) {
    while (graph.next()) {
      switch (graph.field()) {
        case 1 -> nodes.add(readNode(graph.message()));
        case 5 -> {
          NamedTensor tensor = readTensor(graph.message());
          if (tensor != null) {
            initializers.put(tensor.name(), tensor.tensor());
          }
        }
        default -> graph.skip();
      }
    }
  }

  private static Node readNode(ProtobufReader node) {
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    Map<String, FloatTensor> attributes = new LinkedHashMap<>();
    String op = "";
    while (node.next()) {
      switch (node.field()) {
        case 1 -> inputs.add(node.string());
        case 2 -> outputs.add(node.string());
        case 4 -> op = node.string();
        case 5 -> readAttribute(node.message(), attributes);
        default -> node.skip();
      }
    }
    return new Node(op, inputs, outputs, attributes);
  }

  private static void readAttribute(ProtobufReader attribute, Map<String, FloatTensor> into) {
    String name = null;
    NamedTensor tensor = null;
    while (attribute.next()) {
      switch (attribute.field()) {
        case 1 -> name = attribute.string();
        case 5 -> tensor = readTensor(attribute.message());
        default -> attribute.skip();
      }
    }
    if (name != null && tensor != null) {
      into.put(name, tensor.tensor());
    }
  }

  private record NamedTensor(String name, FloatTensor tensor) {}

  /** A float32 tensor, or null for other data types (e.g. int64 position ids). */
  private static NamedTensor readTensor(ProtobufReader tensor) {
    List<Long> dims = new ArrayList<>();
    long dataType = 0;
    String name = "";
    ByteBuffer raw = null;
    List<Float> floats = new ArrayList<>();
    while (tensor.next()) {
      switch (tensor.field()) {
        case 1 -> dims.add(tensor.varint());
        case 2 -> dataType = tensor.varint();
        case 4 -> {
          if (tensor.wireType() == ProtobufReader.LENGTH_DELIMITED) {
            ByteBuffer packed = tensor.bytes();
            while (packed.remaining() >= 4) {
              floats.add(packed.getFloat());
            }
          } else {
            floats.add(tensor.fixed32Float());
          }
        }
        case 8 -> name = tensor.string();
        case 9 -> raw = tensor.bytes();
        default -> tensor.skip();
      }
    }
    if (dataType != FLOAT) {
      return null;
    }
    int[] shape = dims.stream().mapToInt(Math::toIntExact).toArray();
    long count = 1;
    for (int d : shape) {
      count *= d;
    }
    float[] data = new float[Math.toIntExact(count)];
    if (raw != null) {
      if (raw.remaining() != count * 4) {
        throw new IllegalArgumentException(
            "ONNX tensor "
                + name
                + ": raw_data has "
                + raw.remaining()
                + " bytes, expected "
                + count * 4);
      }
      raw.asFloatBuffer().get(data);
    } else {
      if (floats.size() != count) {
        throw new IllegalArgumentException("ONNX tensor " + name + ": wrong float_data length");
      }
      for (int i = 0; i < data.length; i++) {
        data[i] = floats.get(i);
      }
    }
    return new NamedTensor(name, new FloatTensor(shape, data));
  }
}
