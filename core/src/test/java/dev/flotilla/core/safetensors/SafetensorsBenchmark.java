package dev.flotilla.core.safetensors;

import dev.flotilla.core.adapter.FloatTensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Throughput of writing and reading a ~100 MiB adapter against raw file I/O of the same bytes in
 * the same run (page cache warm, so this measures the overhead above the disk path). Run: {@code
 * mvn -pl core exec:java -Dexec.mainClass=dev.flotilla.core.safetensors.SafetensorsBenchmark
 * -Dexec.classpathScope=test}. Not a unit test.
 */
public final class SafetensorsBenchmark {
  private static final int REPEATS = 7;

  private SafetensorsBenchmark() {}

  /**
   * Prints, per operation, the best time of {@value #REPEATS} runs and the median ratio to the
   * reference, each run timed right after its reference run so that load drift on a shared machine
   * cancels out of the ratio.
   */
  public static void main(String[] args) throws IOException {
    Map<String, FloatTensor> tensors = adapter(50, 64, 4096); // 50 × 2 MiB = 100 MiB
    Path dir = Files.createTempDirectory("safetensors-bench");
    try {
      Path file = dir.resolve("adapter_model.safetensors");
      Path raw = dir.resolve("raw.bin");
      SafetensorsWriter.write(file, tensors, Map.of(), DType.F32);
      long bytes = Files.size(file);
      System.out.printf("adapter: %d tensors, %.1f MiB F32%n", tensors.size(), bytes / 1048576.0);
      System.out.println(
          "references: raw write = same byte count 1 MiB at a time; raw read = file into a 1 MiB"
              + " direct buffer; readAllBytes = Files.readAllBytes (allocates like a reader must)");
      compare(
          "write F32 (file, atomic)",
          () -> SafetensorsWriter.write(file, tensors, Map.of(), DType.F32),
          "raw write",
          () -> rawWrite(raw, bytes),
          bytes);
      compare(
          "read F32 (FileChannel)", () -> readAll(file), "raw read", () -> rawRead(file), bytes);
      compare(
          "read F32 (FileChannel)",
          () -> readAll(file),
          "readAllBytes",
          () -> Files.readAllBytes(file),
          bytes);
      compare(
          "read F32 (InputStream)",
          () -> readStream(file),
          "readAllBytes",
          () -> Files.readAllBytes(file),
          bytes);
      Path half = dir.resolve("half.safetensors");
      for (DType dtype : new DType[] {DType.F16, DType.BF16}) {
        SafetensorsWriter.write(half, tensors, Map.of(), dtype);
        long halfBytes = Files.size(half);
        compare(
            "read " + dtype + " (FileChannel)",
            () -> readAll(half),
            "readAllBytes",
            () -> Files.readAllBytes(half),
            halfBytes);
        compare(
            "write " + dtype + " (file, atomic)",
            () -> SafetensorsWriter.write(half, tensors, Map.of(), dtype),
            "raw write",
            () -> rawWrite(raw, halfBytes),
            halfBytes);
      }
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }

  private static Map<String, FloatTensor> adapter(int modules, int rank, int width) {
    Random random = new Random(1);
    Map<String, FloatTensor> tensors = new TreeMap<>();
    for (int m = 0; m < modules; m++) {
      float[] a = new float[rank * width];
      float[] b = new float[width * rank];
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) random.nextGaussian() * 0.02f;
        b[i] = (float) random.nextGaussian() * 0.02f;
      }
      String name = "base_model.model.layers." + m + ".q_proj";
      tensors.put(name + ".lora_A.weight", new FloatTensor(new int[] {rank, width}, a));
      tensors.put(name + ".lora_B.weight", new FloatTensor(new int[] {width, rank}, b));
    }
    return tensors;
  }

  private interface Task {
    void run() throws IOException;
  }

  private static double time(Task task) throws IOException {
    long start = System.nanoTime();
    task.run();
    return (System.nanoTime() - start) / 1e6;
  }

  private static void compare(
      String what, Task subject, String referenceName, Task reference, long bytes)
      throws IOException {
    double best = Double.MAX_VALUE;
    double bestReference = Double.MAX_VALUE;
    double[] ratios = new double[REPEATS];
    for (int i = 0; i < REPEATS; i++) {
      double referenceMillis = time(reference);
      double millis = time(subject);
      ratios[i] = millis / referenceMillis;
      best = Math.min(best, millis);
      bestReference = Math.min(bestReference, referenceMillis);
    }
    Arrays.sort(ratios);
    System.out.printf(
        "%-26s best %7.1f ms (%5.0f MiB/s)   %-12s best %7.1f ms   median ratio %.2f%n",
        what,
        best,
        bytes / 1048576.0 / (best / 1e3),
        referenceName,
        bestReference,
        ratios[REPEATS / 2]);
  }

  /** The reference write: the same number of bytes, 1 MiB at a time, no conversion. */
  private static void rawWrite(Path file, long bytes) throws IOException {
    byte[] chunk = new byte[1 << 20];
    Arrays.fill(chunk, (byte) 7);
    try (var out = Files.newOutputStream(file)) {
      for (long left = bytes; left > 0; left -= chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
    }
  }

  /** The reference read: the file's bytes into a direct buffer, no parsing or conversion. */
  private static void rawRead(Path file) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (channel.read(buffer.clear()) > 0) {
        // discard
      }
    }
  }

  private static void readAll(Path file) throws IOException {
    try (SafetensorsReader reader = SafetensorsReader.open(file)) {
      reader.readAll();
    }
  }

  private static void readStream(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      SafetensorsReader.readAll(
          in, Files.size(file), file.toString(), SafetensorsReader.Options.DEFAULT);
    }
  }
}
