package dev.flotilla.model.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small learnable data sets over {@link TinyModels#WORDS}. */
public final class TinyData {
  /** Words of positive examples. */
  public static final List<String> POSITIVE = List.of("good", "great", "fine", "love", "nice");

  /** Words of negative examples. */
  public static final List<String> NEGATIVE = List.of("bad", "awful", "poor", "hate", "sad");

  /** Neutral words. */
  public static final List<String> FILLER =
      List.of("the", "movie", "food", "was", "is", "it", "very", "a", "and");

  private TinyData() {}

  /** {@code n} JSONL lines {"text", "label"}: label 1 when the sentence holds a positive word. */
  public static Path sentiment(Path file, int n, long seed) throws IOException {
    Random random = new Random(seed);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int label = i % 2;
      List<String> words = new ArrayList<>();
      int length = 3 + random.nextInt(5);
      for (int j = 0; j < length; j++) {
        words.add(FILLER.get(random.nextInt(FILLER.size())));
      }
      List<String> cue = label == 1 ? POSITIVE : NEGATIVE;
      words.add(random.nextInt(words.size() + 1), cue.get(random.nextInt(cue.size())));
      lines.add("{\"text\": \"" + String.join(" ", words) + "\", \"label\": " + label + "}");
    }
    Files.write(file, lines);
    return file;
  }

  /** {@code n} JSONL prompt/response pairs where the response is determined by the prompt. */
  public static Path promptResponse(Path file, int n, long seed) throws IOException {
    Random random = new Random(seed);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean positive = random.nextBoolean();
      String word = (positive ? POSITIVE : NEGATIVE).get(random.nextInt(5));
      lines.add(
          "{\"prompt\": \"question the movie was "
              + word
              + "\", \"response\": \"answer "
              + (positive ? "yes one" : "no two")
              + "\"}");
    }
    Files.write(file, lines);
    return file;
  }
}
