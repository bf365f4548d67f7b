package dev.flotilla.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One labelled example of an experiment pool ({@code {"text", "label", "domain"}} per line).
 *
 * @param text the input text
 * @param label the class
 * @param domain the source (review site, mail corpus)
 */
public record LabelledText(String text, int label, String domain) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads a JSON-lines pool; every malformed line is an error naming file and line. */
  public static List<LabelledText> read(Path file) throws IOException {
    List<LabelledText> rows = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      JsonNode node = JSON.readTree(lines.get(i));
      JsonNode text = node.get("text");
      JsonNode label = node.get("label");
      JsonNode domain = node.get("domain");
      if (text == null || !text.isTextual() || label == null || !label.isInt()) {
        throw new IOException(
            file + ":" + (i + 1) + ": needs a string 'text' and an integer 'label'");
      }
      rows.add(
          new LabelledText(
              text.asText(), label.asInt(), domain == null ? "unknown" : domain.asText()));
    }
    if (rows.isEmpty()) {
      throw new IOException(file + ": no examples");
    }
    return rows;
  }

  /** Writes {@code rows} as trainer input ({@code {"text", "label"}} per line). */
  public static void writeTrainerFile(Path file, List<LabelledText> rows) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (LabelledText row : rows) {
      sb.append(JSON.writeValueAsString(new TrainerRow(row.text(), row.label()))).append('\n');
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, sb, StandardCharsets.UTF_8);
  }

  private record TrainerRow(String text, int label) {}
}
