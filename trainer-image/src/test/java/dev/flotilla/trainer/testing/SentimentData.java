package dev.flotilla.trainer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real labelled sentences (UCI Sentiment Labelled Sentences, Kotzias et al. 2015) from the npm
 * package {@code sentiment@5.0.2}, fetched once with {@code npm pack} into {@code
 * ~/.cache/flotilla/data}.
 */
public final class SentimentData {
  private SentimentData() {}

  /** Writes {@code source} ("imdb", "yelp" or "amazon") as JSONL {text, label} to {@code file}. */
  public static Path jsonl(String source, Path file) throws IOException, InterruptedException {
    Path fixture = fixtures().resolve(source + ".json");
    JsonNode array = new ObjectMapper().readTree(fixture.toFile());
    ObjectMapper json = new ObjectMapper();
    List<String> lines = new ArrayList<>();
    for (JsonNode entry : array) {
      if (entry.hasNonNull("text") && !entry.get("text").asText().isBlank()) {
        lines.add(
            json.writeValueAsString(
                json.createObjectNode()
                    .put("text", entry.get("text").asText())
                    .put("label", entry.get("class").asInt())));
      }
    }
    Files.write(file, lines);
    return file;
  }

  private static synchronized Path fixtures() throws IOException, InterruptedException {
    Path cache =
        Path.of(
                System.getProperty(
                    "flotilla.cache", System.getProperty("user.home") + "/.cache/flotilla"))
            .resolve("data")
            .resolve("sentiment-5.0.2");
    Path fixtures = cache.resolve("package").resolve("test").resolve("fixtures");
    if (Files.isRegularFile(fixtures.resolve("imdb.json"))) {
      return fixtures;
    }
    Files.createDirectories(cache);
    run(cache, "npm", "pack", "sentiment@5.0.2", "--silent");
    run(cache, "tar", "xzf", "sentiment-5.0.2.tgz");
    return fixtures;
  }

  private static void run(Path dir, String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("command failed: " + String.join(" ", command));
    }
  }
}
