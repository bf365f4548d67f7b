package dev.flotilla.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link ObjectStore} must have; subclasses supply the store. */
abstract class ObjectStoreContract {

  /** The store under test; keys of different tests do not overlap. */
  abstract ObjectStore store();

  @Test
  void putIfAbsentCreatesOnlyOnce() throws IOException {
    String key = "contract/conditional/manifest.json";
    assertThat(store().putIfAbsent(key, bytes("first"))).isTrue();
    assertThat(store().putIfAbsent(key, bytes("second"))).isFalse();
    assertThat(new String(store().getBytes(key), StandardCharsets.UTF_8)).isEqualTo("first");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void putBytesThenGetReturnsTheSameBytes() throws IOException {
    store().put("a/bytes.bin", "hello".getBytes(StandardCharsets.UTF_8));

    assertThat(store().getBytes("a/bytes.bin")).asString(StandardCharsets.UTF_8).isEqualTo("hello");
    assertThat(store().exists("a/bytes.bin")).isTrue();
  }

  @Test
  void putReplacesThePreviousObject() throws IOException {
    store().put("a/replace", new byte[] {1, 2, 3});
    store().put("a/replace", new byte[] {9});

    assertThat(store().getBytes("a/replace")).containsExactly(9);
  }

  @Test
  void putStreamAndFileRoundTripLargeContent(@TempDir Path dir) throws IOException {
    byte[] data = new byte[2 * 1024 * 1024 + 17];
    new Random(7).nextBytes(data);
    store().put("b/stream.bin", new ByteArrayInputStream(data), data.length);
    Path file = dir.resolve("in.bin");
    Files.write(file, data);
    store().put("b/file.bin", file);

    try (InputStream in = store().get("b/stream.bin")) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    Path out = dir.resolve("nested/out.bin");
    store().getToFile("b/file.bin", out);
    assertThat(Files.readAllBytes(out)).isEqualTo(data);
  }

  @Test
  void sizeIsTheObjectsLengthWithoutReadingIt() throws IOException {
    store().put("f/sized", new byte[1234]);
    store().put("f/empty", new byte[0]);

    assertThat(store().size("f/sized")).isEqualTo(1234);
    assertThat(store().size("f/empty")).isZero();
  }

  @Test
  void listReturnsSortedKeysUnderThePrefixOnly() throws IOException {
    store().put("c/x/2", new byte[] {2});
    store().put("c/x/1", new byte[] {1});
    store().put("c/x/deep/3", new byte[] {3});
    store().put("c/xy/5", new byte[] {5});
    store().put("c/y/4", new byte[] {4});

    assertThat(store().list("c/x/")).containsExactly("c/x/1", "c/x/2", "c/x/deep/3");
    assertThat(store().list("c/none/")).isEmpty();
  }

  @Test
  void deleteRemovesAndIsIdempotent() throws IOException {
    store().put("d/k", new byte[] {1});
    store().delete("d/k");
    store().delete("d/k");

    assertThat(store().exists("d/k")).isFalse();
    assertThat(store().list("d/")).isEmpty();
  }

  @Test
  void missingKeyRaisesNoSuchObjectNamingTheKey(@TempDir Path dir) throws IOException {
    assertThat(store().exists("e/missing")).isFalse();
    assertThatThrownBy(() -> store().get("e/missing"))
        .isInstanceOf(NoSuchObjectException.class)
        .hasMessageContaining("e/missing");
    assertThatThrownBy(() -> store().getBytes("e/missing"))
        .isInstanceOf(NoSuchObjectException.class);
    assertThatThrownBy(() -> store().size("e/missing")).isInstanceOf(NoSuchObjectException.class);
    assertThatThrownBy(() -> store().getToFile("e/missing", dir.resolve("x")))
        .isInstanceOf(NoSuchObjectException.class);
    assertThat(dir.resolve("x")).doesNotExist();
  }
}
