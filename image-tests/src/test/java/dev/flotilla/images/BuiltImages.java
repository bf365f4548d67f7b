package dev.flotilla.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Builds the images once per test JVM with {@code scripts/build-images.sh} (operator, trainer,
 * aggregator, and the CUDA trainer's buildable stage) and records what it printed: each image's
 * size and build time. The output goes to {@code target/image-build.log}.
 *
 * @param sizes image size in bytes by tag (the base included)
 * @param buildMillis build time by tag
 */
record BuiltImages(Map<String, Long> sizes, Map<String, Long> buildMillis) {
  private static BuiltImages built;

  /** The images, built on first use. */
  static synchronized BuiltImages get() throws IOException, InterruptedException {
    if (built == null) {
      built = build();
    }
    return built;
  }

  private static BuiltImages build() throws IOException, InterruptedException {
    Path log = Path.of("target", "image-build.log");
    Files.createDirectories(log.getParent());
    Process process =
        new ProcessBuilder(
                List.of(
                    "bash",
                    Repo.root().resolve("scripts/build-images.sh").toString(),
                    "operator",
                    "trainer",
                    "aggregator",
                    "trainer-cuda"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "scripts/build-images.sh failed:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }
    Map<String, Long> sizes = new LinkedHashMap<>();
    Map<String, Long> millis = new LinkedHashMap<>();
    for (String line : Files.readAllLines(log)) {
      String[] words = line.split(" ");
      if (words[0].equals("base") && words.length == 3) {
        sizes.put(words[1], Long.parseLong(words[2]));
      } else if (words[0].equals("image") && words.length == 5) {
        sizes.put(words[1], Long.parseLong(words[2]));
        millis.put(words[1], Long.parseLong(words[3]));
      }
    }
    System.out.println(Files.readString(log));
    return new BuiltImages(sizes, millis);
  }
}
