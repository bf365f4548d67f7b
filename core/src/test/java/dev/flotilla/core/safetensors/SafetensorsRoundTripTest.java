package dev.flotilla.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.core.adapter.FloatTensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {
  @TempDir Path dir;

  private static Map<String, FloatTensor> sample() {
    Random random = new Random(7);
    float[] a = new float[3 * 5];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) random.nextGaussian();
    }
    a[0] = -0.0f;
    a[1] = Float.MIN_VALUE;
    a[2] = Float.MAX_VALUE;
    a[3] = -Float.MIN_NORMAL;
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    tensors.put("z.weight", new FloatTensor(new int[] {3, 5}, a));
    tensors.put("a.bias", new FloatTensor(new int[] {2}, new float[] {1.5f, -2.25f}));
    tensors.put("empty", new FloatTensor(new int[] {0, 4}, new float[0]));
    tensors.put("scalar", new FloatTensor(new int[] {}, new float[] {42f}));
    return tensors;
  }

  private static byte[] bytes(Map<String, FloatTensor> tensors, DType dtype) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SafetensorsWriter.write(out, tensors, Map.of(), dtype, "mem");
    return out.toByteArray();
  }

  @Test
  void f32RoundTripIsBitExactThroughFileAndStream() throws IOException {
    Map<String, FloatTensor> tensors = sample();
    Path file = dir.resolve("t.safetensors");
    SafetensorsWriter.write(file, tensors, Map.of("step", "3"), DType.F32);
    try (SafetensorsReader reader = SafetensorsReader.open(file)) {
      assertThat(reader.metadata()).containsEntry("format", "pt").containsEntry("step", "3");
      assertThat(reader.tensors())
          .extracting(TensorInfo::name)
          .containsExactly("a.bias", "empty", "scalar", "z.weight");
      Map<String, FloatTensor> read = reader.readAll();
      assertThat(read).isEqualTo(tensors); // Arrays.equals on floats compares bits (-0.0 too)
      assertThat(Float.floatToRawIntBits(read.get("z.weight").data()[0])).isEqualTo(0x80000000);
    }
    SafetensorsContent streamed =
        SafetensorsReader.readAll(
            Files.newInputStream(file),
            Files.size(file),
            "stream",
            SafetensorsReader.Options.DEFAULT);
    assertThat(streamed.tensors()).isEqualTo(tensors);
    assertThat(streamed.metadata()).containsEntry("format", "pt");
  }

  @Test
  void outputIsDeterministicAndAligned() throws IOException {
    Map<String, FloatTensor> forward = sample();
    Map<String, FloatTensor> reversed = new LinkedHashMap<>();
    forward.keySet().stream()
        .sorted(java.util.Comparator.reverseOrder())
        .forEach(k -> reversed.put(k, forward.get(k)));
    byte[] first = bytes(forward, DType.F32);
    assertThat(bytes(reversed, DType.F32)).isEqualTo(first);
    long headerLength = ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(headerLength % 8).isZero();
    String header = new String(first, 8, (int) headerLength, StandardCharsets.UTF_8);
    assertThat(header)
        .startsWith(
            "{\"__metadata__\":{\"format\":\"pt\"},\"a.bias\":{\"dtype\":\"F32\",\"shape\":[2],"
                + "\"data_offsets\":[0,8]}");
    assertThat(first.length).isEqualTo(8 + headerLength + 4 * (2 + 0 + 1 + 15));
  }

  @Test
  void halfPrecisionWritesRoundToNearestAndReadBackExactly() throws IOException {
    float[] values = {
      1.0f, 1.0f + 0x1p-11f, 1.0f + 3 * 0x1p-11f, 65504f, 0x1p-24f, -0.0f, 3.14159f
    };
    Map<String, FloatTensor> tensors = Map.of("x", new FloatTensor(new int[] {7}, values));
    for (DType dtype : new DType[] {DType.F16, DType.BF16}) {
      byte[] file = bytes(tensors, dtype);
      float[] read =
          SafetensorsReader.readAll(
                  new ByteArrayInputStream(file),
                  file.length,
                  "mem",
                  SafetensorsReader.Options.DEFAULT)
              .tensors()
              .get("x")
              .data();
      for (int i = 0; i < values.length; i++) {
        float expected =
            dtype == DType.F16
                ? HalfFloats.f16ToFloat(HalfFloats.floatToF16(values[i]))
                : HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(values[i]));
        assertThat(read[i]).as("%s value %d", dtype, i).isEqualTo(expected);
      }
    }
  }

  @Test
  void writerRejectsNonFiniteAndOverflowNamingTensorAndIndex() {
    Map<String, FloatTensor> nan =
        Map.of("w", new FloatTensor(new int[] {2, 2}, new float[] {0, 1, Float.NaN, 3}));
    assertThatThrownBy(() -> bytes(nan, DType.F32))
        .isInstanceOf(SafetensorsException.class)
        .hasMessage("mem: tensor 'w': non-finite value NaN at element 2 (index [1, 0])");
    Map<String, FloatTensor> big = Map.of("w", new FloatTensor(new int[] {1}, new float[] {7e4f}));
    assertThatThrownBy(() -> bytes(big, DType.F16))
        .hasMessage("mem: tensor 'w': value 70000.0 overflows F16 at element 0 (index [0])");
    assertThatThrownBy(() -> bytes(Map.of("__metadata__", big.get("w")), DType.F32))
        .hasMessageContaining("reserved");
  }

  @Test
  void failedPathWriteLeavesNoFile() {
    Path file = dir.resolve("bad.safetensors");
    Map<String, FloatTensor> inf =
        Map.of("w", new FloatTensor(new int[] {1}, new float[] {Float.POSITIVE_INFINITY}));
    assertThatThrownBy(() -> SafetensorsWriter.write(file, inf, Map.of(), DType.F32))
        .hasMessageContaining("bad.safetensors: tensor 'w': non-finite value Infinity");
    assertThat(dir).isEmptyDirectory();
  }
}
