package dev.flotilla.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files past 2 GiB, made sparse so they cost neither disk nor time. */
class SafetensorsLargeFileTest {
  private static final Set<String> SPARSE_FILE_SYSTEMS =
      Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "zfs", "overlay", "apfs", "f2fs");

  @TempDir Path dir;

  @Test
  void readsATensorStoredPastEightGibibytes() throws IOException {
    long hugeElements = 1L << 31; // one more than a Java array can hold
    long hugeBytes = hugeElements * 4; // 8 GiB of (sparse) zeros
    String json =
        "{\"huge\":{\"dtype\":\"F32\",\"shape\":[2,"
            + (hugeElements / 2)
            + "],\"data_offsets\":[0,"
            + hugeBytes
            + "]},\"tail\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":["
            + hugeBytes
            + ","
            + (hugeBytes + 8)
            + "]}}";
    byte[] header = json.getBytes(StandardCharsets.UTF_8);
    long dataStart = 8 + header.length;
    Path file = dir.resolve("big.safetensors");
    String store = Files.getFileStore(dir).type();
    Assumptions.assumeTrue(
        SPARSE_FILE_SYSTEMS.contains(store),
        "file system " + store + " is not known to support sparse files");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      raf.write(prefix.putLong(header.length).array());
      raf.write(header);
      raf.setLength(dataStart + hugeBytes + 8);
      raf.seek(dataStart + hugeBytes);
      raf.write(RawSafetensors.shorts(0x3F80, 0xC000, 0x0001, 0x8000));
    } catch (IOException e) {
      Assumptions.abort("cannot create a sparse 8 GiB file here: " + e.getMessage());
    }
    try (SafetensorsReader reader = SafetensorsReader.open(file)) {
      assertThat(reader.info("tail").begin()).isGreaterThan(Integer.MAX_VALUE);
      assertThat(reader.read("tail").data()).containsExactly(1f, -2f, 0x1p-133f, -0f);
      assertThat(reader.read("tail").shape()).containsExactly(2, 2);
      assertThatThrownBy(() -> reader.read("huge"))
          .isInstanceOf(SafetensorsException.class)
          .hasMessage(
              file
                  + ": tensor 'huge': has 2147483648 elements; a single tensor is limited to"
                  + " 2^31-1 floats (a Java array holds at most 2147483639)");
    }
  }
}
