package dev.flotilla.core.safetensors;

import static dev.flotilla.core.safetensors.RawSafetensors.file;
import static dev.flotilla.core.safetensors.RawSafetensors.floatBits;
import static dev.flotilla.core.safetensors.RawSafetensors.floats;
import static dev.flotilla.core.safetensors.RawSafetensors.shorts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsValidationTest {
  @TempDir Path dir;

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  private float[] readOne(byte[] bytes, String tensor, SafetensorsReader.Options options)
      throws IOException {
    Path file = write("in.safetensors", bytes);
    try (SafetensorsReader reader = SafetensorsReader.open(file, options)) {
      return reader.read(tensor).data();
    }
  }

  /** Opens {@code bytes} as a file (and reads all of it); asserts the file name is in the error. */
  private AbstractThrowableAssert<?, ? extends Throwable> assertRejected(byte[] bytes) {
    Path file = dir.resolve("bad.safetensors");
    return assertThatThrownBy(
            () -> {
              Files.write(file, bytes);
              try (SafetensorsReader reader = SafetensorsReader.open(file)) {
                reader.readAll();
              }
            })
        .isInstanceOf(SafetensorsException.class)
        .hasMessageStartingWith(file + ": ");
  }

  /** The same bytes must be rejected as a stream, naming the stream label. */
  private AbstractThrowableAssert<?, ? extends Throwable> assertStreamRejected(byte[] bytes) {
    return assertThatThrownBy(
            () ->
                SafetensorsReader.readAll(
                    new ByteArrayInputStream(bytes),
                    bytes.length,
                    "s3://b/k",
                    SafetensorsReader.Options.DEFAULT))
        .isInstanceOf(SafetensorsException.class)
        .hasMessageStartingWith("s3://b/k: ");
  }

  @Test
  void readsHandMadeF16IncludingSubnormalsAndSignedZeros() throws IOException {
    byte[] bytes =
        file(
            "{\"h\":{\"dtype\":\"F16\",\"shape\":[2,4],\"data_offsets\":[0,16]}}",
            shorts(0x0000, 0x8000, 0x0001, 0x03FF, 0x0400, 0x3C00, 0xC000, 0x7BFF));
    float[] values = readOne(bytes, "h", SafetensorsReader.Options.DEFAULT);
    float[] expected = {0f, -0f, 0x1p-24f, 1023 * 0x1p-24f, 0x1p-14f, 1f, -2f, 65504f};
    assertThat(values).containsExactly(expected);
    assertThat(Float.floatToRawIntBits(values[1])).isEqualTo(0x80000000);
  }

  @Test
  void readsHandMadeBf16IncludingSubnormals() throws IOException {
    byte[] bytes =
        file(
            "{\"b\":{\"dtype\":\"BF16\",\"shape\":[6],\"data_offsets\":[0,12]}}",
            shorts(0x0001, 0x8000, 0x3F80, 0x7F7F, 0x0080, 0xC049));
    float[] values = readOne(bytes, "b", SafetensorsReader.Options.DEFAULT);
    assertThat(values)
        .containsExactly(
            0x1p-133f,
            -0f,
            1f,
            Float.intBitsToFloat(0x7F7F0000),
            Float.MIN_NORMAL,
            Float.intBitsToFloat(0xC0490000));
    assertThat(Float.floatToRawIntBits(values[1])).isEqualTo(0x80000000);
  }

  @Test
  void infinityIsRejectedUnlessAllowed() throws IOException {
    byte[] bytes =
        file(
            "{\"h\":{\"dtype\":\"F16\",\"shape\":[1,3],\"data_offsets\":[0,6]}}",
            shorts(0x3C00, 0x3C00, 0xFC00));
    assertRejected(bytes)
        .hasMessageEndingWith("tensor 'h': non-finite value -Infinity at element 2 (index [0, 2])");
    assertStreamRejected(bytes).hasMessageContaining("tensor 'h': non-finite value -Infinity");
    float[] values = readOne(bytes, "h", SafetensorsReader.Options.DEFAULT.allowingNonFinite());
    assertThat(values).containsExactly(1f, 1f, Float.NEGATIVE_INFINITY);
  }

  @Test
  void nanIsRejectedWithTheFirstBadIndex() {
    byte[] bytes =
        file(
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}",
            floatBits(0, 0x7FC00000, 0x7F800001, 0));
    assertRejected(bytes)
        .hasMessageEndingWith("tensor 'w': non-finite value NaN at element 1 (index [0, 1])");
  }

  @Test
  void headerLengthBombsAreRejectedBeforeAllocating() {
    for (long bomb : new long[] {1L << 60, -1L, (100L << 20) + 1}) {
      byte[] bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(bomb).array();
      assertRejected(bytes).hasMessageContaining("exceeds the cap of 104857600 bytes");
      assertStreamRejected(bytes).hasMessageContaining("exceeds the cap");
    }
    byte[] tooLong = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array();
    assertRejected(tooLong)
        .hasMessageContaining("header length 1000 exceeds the 32 bytes that follow");
    assertStreamRejected(tooLong)
        .hasMessageContaining("header length 1000 exceeds the 32 bytes that follow");
    assertRejected(new byte[5]).hasMessageContaining("too short for the 8-byte header length");
    assertRejected(file("{", new byte[0])).hasMessageContaining("too small");
  }

  @Test
  void aStreamCannotDeclareMoreDataThanItsLength() {
    long elements = Integer.MAX_VALUE - 8;
    byte[] bomb =
        file(
            "{\"w\":{\"dtype\":\"F32\",\"shape\":["
                + elements
                + "],\"data_offsets\":[0,"
                + 4 * elements
                + "]}}",
            new byte[64]);
    assertStreamRejected(bomb)
        .hasMessageContaining("point past the end of the 64-byte data buffer");
  }

  @Test
  void aStreamThatDiffersFromItsStatedLengthIsRejected() {
    byte[] bytes =
        file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", floats(1));
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
    assertThatThrownBy(
            () ->
                SafetensorsReader.readAll(
                    new ByteArrayInputStream(longer),
                    bytes.length,
                    "s3://b/k",
                    SafetensorsReader.Options.DEFAULT))
        .hasMessageContaining("stream continues after the last tensor");
    byte[] shorter = Arrays.copyOf(bytes, bytes.length - 2);
    assertThatThrownBy(
            () ->
                SafetensorsReader.readAll(
                    new ByteArrayInputStream(shorter),
                    bytes.length,
                    "s3://b/k",
                    SafetensorsReader.Options.DEFAULT))
        .hasMessageContaining("tensor 'w': stream ended after 2 of its 4 bytes");
  }

  @Test
  void malformedJsonIsRejected() {
    assertRejected(file("{\"a\":{\"dtype\":\"F32\",", new byte[0]))
        .hasMessageContaining("malformed JSON header");
    assertRejected(file("[1, 2]", new byte[0])).hasMessageContaining("not a JSON object");
    assertRejected(file("{} {}", new byte[0])).hasMessageContaining("content after its JSON");
    assertRejected(file(new byte[] {'{', '"', (byte) 0xC3, '"', '}'}, new byte[0]))
        .hasMessageContaining("not valid UTF-8");
    assertRejected(file("{\"__metadata__\":{\"format\":1}}", new byte[0]))
        .hasMessageContaining("__metadata__ value of 'format' must be a string");
  }

  @Test
  void entryErrorsNameTheTensor() {
    String[][] cases = {
      {"{\"t\":{\"dtype\":\"F7\",\"shape\":[1],\"data_offsets\":[0,4]}}", "unknown dtype F7"},
      {"{\"t\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", "shape must hold"},
      {"{\"t\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", "shape must hold"},
      {"{\"t\":{\"dtype\":\"F32\",\"shape\":[1]}}", "needs dtype, shape and data_offsets"},
      {
        "{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", "must be [begin, end]"
      },
      {"{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", "end before they begin"},
      {"{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", "needs 8 bytes but"},
      {
        "{\"t\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
        "repeats the key 'dtype'"
      },
      {"{\"t\":[1]}", "header entry must be a JSON object"},
      {
        "{\"t\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4294967296],"
            + "\"data_offsets\":[0,4]}}",
        "overflows a 64-bit byte count"
      },
    };
    for (String[] c : cases) {
      assertRejected(file(c[0], new byte[4]))
          .hasMessageContaining("tensor 't': ")
          .hasMessageContaining(c[1]);
    }
  }

  @Test
  void duplicateNamesAreRejected() {
    String entry = "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";
    assertRejected(file("{\"t\":" + entry + ",\"t\":" + entry + "}", floats(1)))
        .hasMessageEndingWith("tensor 't': duplicate name in the header");
  }

  @Test
  void offsetsMustCoverTheBufferContiguously() {
    String a = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
    assertRejected(
            file(
                "{" + a + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
                new byte[12]))
        .hasMessageEndingWith(
            "tensor 'b': data_offsets [4, 12] overlap tensor 'a' which ends at byte 8");
    assertRejected(
            file(
                "{" + a + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}",
                new byte[16]))
        .hasMessageContaining("tensor 'b': data_offsets [12, 16] leave 4 unused bytes")
        .hasMessageContaining("after tensor 'a'");
    assertRejected(
            file("{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]))
        .hasMessageContaining("tensor 'b': data_offsets [4, 8] leave 4 unused bytes before them;");
    assertRejected(file("{" + a + "}", new byte[4]))
        .hasMessageContaining("tensor 'a': data_offsets [0, 8] point past the end of the 4-byte");
    assertRejected(file("{" + a + "}", new byte[12]))
        .hasMessageContaining("data buffer holds 4 bytes after the last tensor");
    assertStreamRejected(file("{" + a + "}", new byte[12]))
        .hasMessageContaining("data buffer holds 4 bytes after the last tensor");
    assertStreamRejected(file("{" + a + "}", new byte[6]))
        .hasMessageContaining("tensor 'a': data_offsets [0, 8] point past the end of the 6-byte");
  }

  @Test
  void listsNonFloatTensorsButRefusesToReadThemAsFloats() throws IOException {
    byte[] bytes =
        file(
            "{\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[16,20]}}",
            new byte[20]);
    Path file = write("mixed.safetensors", bytes);
    try (SafetensorsReader reader = SafetensorsReader.open(file)) {
      assertThat(reader.tensors()).hasSize(2);
      assertThat(reader.info("ids").dtype()).isEqualTo(DType.I64);
      assertThat(Arrays.toString(reader.info("ids").shape())).isEqualTo("[2]");
      assertThat(reader.read("w").data()).containsExactly(0f);
      assertThatThrownBy(() -> reader.read("ids"))
          .hasMessage(
              file
                  + ": tensor 'ids': dtype I64 cannot be read as float32"
                  + " (only F32, F16 and BF16 can)");
      assertThatThrownBy(() -> reader.read("nope"))
          .hasMessage(file + ": tensor 'nope': no such tensor in the file");
    }
  }
}
