package dev.flotilla.trainer.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Parses a synthetic TensorFlow checkpoint index built byte by byte in LevelDB table format: a data
 * block with a prefix-compressed key, an index block, and the 48-byte footer.
 */
class TfCheckpointReaderTest {

  @Test
  void readsEntriesAndFloatValues() {
    ByteBuffer data = ByteBuffer.allocate(4 * 6 + 4 * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 6; i++) {
      data.putFloat(i * 0.5f);
    }
    data.putFloat(-1f).putFloat(2f);
    byte[] index =
        index(
            List.of(
                new byte[][] {new byte[0], new byte[] {0x08, 0x01}},
                new byte[][] {
                  utf8("bert/encoder/layer_0/attention/self/query/bias"),
                  entry(1, new long[] {2}, 24, 8)
                },
                new byte[][] {
                  utf8("bert/encoder/layer_0/attention/self/query/kernel"),
                  entry(1, new long[] {2, 3}, 0, 24)
                }));
    List<TfCheckpointReader.Entry> entries = TfCheckpointReader.readIndex(ByteBuffer.wrap(index));
    assertThat(entries)
        .extracting(TfCheckpointReader.Entry::name)
        .containsExactly(
            "bert/encoder/layer_0/attention/self/query/bias",
            "bert/encoder/layer_0/attention/self/query/kernel");
    TfCheckpointReader.Entry kernel = entries.get(1);
    assertThat(kernel.shape()).containsExactly(2, 3);
    var tensor = TfCheckpointReader.readFloat(kernel, data.flip());
    assertThat(tensor.shape()).containsExactly(2, 3);
    assertThat(tensor.data()).containsExactly(0f, 0.5f, 1f, 1.5f, 2f, 2.5f);
    assertThat(TfCheckpointReader.readFloat(entries.get(0), data).data()).containsExactly(-1f, 2f);
    assertThat(OnnxBertWeights.transpose(tensor).data())
        .containsExactly(0f, 1.5f, 0.5f, 2f, 1f, 2.5f);
  }

  @Test
  void mapsTensorFlowNamesToHuggingFaceNames() {
    assertThat(TfBertImporter.hfName("module/bert/encoder/layer_11/attention/self/query/kernel"))
        .isEqualTo("encoder.layer.11.attention.self.query.weight");
    assertThat(TfBertImporter.hfName("bert/encoder/layer_0/output/LayerNorm/gamma"))
        .isEqualTo("encoder.layer.0.output.LayerNorm.weight");
    assertThat(TfBertImporter.hfName("bert/embeddings/LayerNorm/beta"))
        .isEqualTo("embeddings.LayerNorm.bias");
    assertThat(TfBertImporter.hfName("bert/embeddings/word_embeddings"))
        .isEqualTo("embeddings.word_embeddings.weight");
    assertThat(TfBertImporter.hfName("bert/pooler/dense/bias")).isEqualTo("pooler.dense.bias");
    assertThat(TfBertImporter.hfName("cls/predictions/output_bias")).isNull();
    assertThat(TfBertImporter.hfName("global_step")).isNull();
  }

  @Test
  void rejectsABadMagicNumberAndCompressedBlocks() {
    byte[] index =
        index(List.<byte[][]>of(new byte[][] {utf8("a"), entry(1, new long[] {1}, 0, 4)}));
    byte[] corrupt = index.clone();
    corrupt[corrupt.length - 1] ^= 1;
    assertThatThrownBy(() -> TfCheckpointReader.readIndex(ByteBuffer.wrap(corrupt)))
        .hasMessageContaining("magic");
    byte[] compressed = index.clone();
    compressed[dataBlockLength(index)] = 1;
    assertThatThrownBy(() -> TfCheckpointReader.readIndex(ByteBuffer.wrap(compressed)))
        .hasMessageContaining("compressed");
  }

  /** The data block starts at 0 and the index block right after its 5-byte trailer. */
  private static int dataBlockLength(byte[] index) {
    ByteBuffer footer = ByteBuffer.wrap(index, index.length - 48, 48);
    TfCheckpointReader.readVarint(footer);
    TfCheckpointReader.readVarint(footer);
    return (int) TfCheckpointReader.readVarint(footer) - 5;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A BundleEntryProto: dtype, shape, offset, size. */
  private static byte[] entry(int dtype, long[] shape, long offset, long size) {
    ByteArrayOutputStream shapeProto = new ByteArrayOutputStream();
    for (long dim : shape) {
      ByteArrayOutputStream dimProto = new ByteArrayOutputStream();
      dimProto.write(0x08);
      varint(dimProto, dim);
      shapeProto.write(0x12);
      varint(shapeProto, dimProto.size());
      shapeProto.writeBytes(dimProto.toByteArray());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x08);
    varint(out, dtype);
    out.write(0x12);
    varint(out, shapeProto.size());
    out.writeBytes(shapeProto.toByteArray());
    out.write(0x20);
    varint(out, offset);
    out.write(0x28);
    varint(out, size);
    return out.toByteArray();
  }

  /** A block: entries sharing key prefixes with their predecessor, one restart point. */
  private static byte[] block(List<byte[][]> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] previous = new byte[0];
    for (byte[][] kv : entries) {
      int shared = 0;
      while (shared < previous.length
          && shared < kv[0].length
          && previous[shared] == kv[0][shared]) {
        shared++;
      }
      varint(out, shared);
      varint(out, kv[0].length - shared);
      varint(out, kv[1].length);
      out.write(kv[0], shared, kv[0].length - shared);
      out.writeBytes(kv[1]);
      previous = kv[0];
    }
    ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(1);
    out.writeBytes(tail.array());
    return out.toByteArray();
  }

  private static byte[] index(List<byte[][]> entries) {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    byte[] data = block(entries);
    file.writeBytes(data);
    file.writeBytes(new byte[5]);
    ByteArrayOutputStream handle = new ByteArrayOutputStream();
    varint(handle, 0);
    varint(handle, data.length);
    byte[] last = entries.get(entries.size() - 1)[0];
    byte[] indexBlock = block(List.<byte[][]>of(new byte[][] {last, handle.toByteArray()}));
    int indexOffset = file.size();
    file.writeBytes(indexBlock);
    file.writeBytes(new byte[5]);
    ByteArrayOutputStream footer = new ByteArrayOutputStream();
    varint(footer, 0);
    varint(footer, 0);
    varint(footer, indexOffset);
    varint(footer, indexBlock.length);
    while (footer.size() < 40) {
      footer.write(0);
    }
    footer.writeBytes(
        ByteBuffer.allocate(8)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(TfCheckpointReader.MAGIC)
            .array());
    file.writeBytes(footer.toByteArray());
    return file.toByteArray();
  }

  private static void varint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7fL) != 0) {
      out.write((int) ((value & 0x7f) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }
}
