package dev.flotilla.model.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.model.BadInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a client's data set: JSON Lines ({@code .jsonl}/{@code .json}, one object per line) or CSV
 * with a header row ({@code .csv}). Fields: {@code text,label} for classification, {@code
 * prompt,response} for causal LM. Every error names the file and line.
 */
public final class DatasetReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final TaskType task;
  private final int numLabels;

  /** A reader for {@code task}; {@code numLabels} bounds classification labels. */
  public DatasetReader(TaskType task, int numLabels) {
    this.task = task;
    this.numLabels = numLabels;
  }

  /** Reads all examples; fails when the file is unreadable, malformed or empty. */
  public List<Example> read(Path file) {
    return read(file, Integer.MAX_VALUE);
  }

  /**
   * Reads the first {@code limit} examples, with the same checks as {@link #read(Path)}: a bounded
   * sample of a large file for checks before training.
   */
  public List<Example> read(Path file, int limit) {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException("data file " + file + " does not exist or is not a file");
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    List<Example> examples;
    try (BufferedReader reader = strictUtf8(file)) {
      examples =
          name.endsWith(".csv") ? readCsv(file, reader, limit) : readJsonLines(file, reader, limit);
    } catch (CharacterCodingException e) {
      throw new BadInputException("data file " + file + " is not valid UTF-8 text", e);
    } catch (IOException e) {
      throw new BadInputException("data file " + file + " cannot be read: " + e.getMessage(), e);
    }
    if (examples.isEmpty()) {
      throw new BadInputException("data file " + file + " contains no examples");
    }
    return examples;
  }

  private static BufferedReader strictUtf8(Path file) throws IOException {
    Reader reader =
        new InputStreamReader(
            Files.newInputStream(file),
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
    return new BufferedReader(reader);
  }

  private List<Example> readJsonLines(Path file, BufferedReader reader, int limit)
      throws IOException {
    List<Example> examples = new ArrayList<>();
    String line;
    int lineNumber = 0;
    while (examples.size() < limit && (line = reader.readLine()) != null) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        throw new BadInputException(
            file + ":" + lineNumber + ": malformed JSON: " + e.getOriginalMessage());
      }
      if (node == null || !node.isObject()) {
        throw new BadInputException(file + ":" + lineNumber + ": expected a JSON object");
      }
      Map<String, String> fields = new HashMap<>();
      node.fields()
          .forEachRemaining(
              e -> {
                JsonNode value = e.getValue();
                if (value.isValueNode() && !value.isNull()) {
                  fields.put(e.getKey(), value.asText());
                }
              });
      examples.add(toExample(file, lineNumber, fields, node));
    }
    return examples;
  }

  private List<Example> readCsv(Path file, BufferedReader reader, int limit) throws IOException {
    CSVFormat format =
        CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setTrim(false).get();
    List<Example> examples = new ArrayList<>();
    try (CSVParser parser = CSVParser.parse(reader, format)) {
      for (CSVRecord record : parser) {
        if (examples.size() >= limit) {
          break;
        }
        int lineNumber = (int) parser.getCurrentLineNumber();
        Map<String, String> fields = new HashMap<>();
        record
            .toMap()
            .forEach(
                (k, v) -> {
                  if (v != null) {
                    fields.put(k, v);
                  }
                });
        examples.add(toExample(file, lineNumber, fields, null));
      }
    } catch (UncheckedIOException | IllegalStateException e) {
      throw new BadInputException(file + ": malformed CSV: " + e.getMessage(), e);
    }
    return examples;
  }

  private Example toExample(Path file, int line, Map<String, String> fields, JsonNode json) {
    if (task == TaskType.CAUSAL_LM) {
      String prompt = required(file, line, fields, "prompt");
      String response = required(file, line, fields, "response");
      if (response.isEmpty()) {
        throw new BadInputException(file + ":" + line + ": field 'response' is empty");
      }
      return Example.promptResponse(prompt, response);
    }
    String text = required(file, line, fields, "text");
    String rawLabel = required(file, line, fields, "label");
    if (json != null && !json.get("label").isIntegralNumber() && !json.get("label").isTextual()) {
      throw new BadInputException(
          file + ":" + line + ": field 'label' must be an integer, got " + json.get("label"));
    }
    int label;
    try {
      label = Integer.parseInt(rawLabel.trim());
    } catch (NumberFormatException e) {
      throw new BadInputException(
          file + ":" + line + ": field 'label' must be an integer, got '" + rawLabel + "'");
    }
    if (label < 0 || label >= numLabels) {
      throw new BadInputException(
          file
              + ":"
              + line
              + ": label "
              + label
              + " is out of range [0, "
              + numLabels
              + ") (num labels "
              + numLabels
              + ")");
    }
    return Example.classification(text, label);
  }

  private static String required(Path file, int line, Map<String, String> fields, String name) {
    String value = fields.get(name);
    if (value == null) {
      throw new BadInputException(file + ":" + line + ": missing field '" + name + "'");
    }
    return value;
  }
}
