package dev.flotilla.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.model.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReaderTest {
  @TempDir Path dir;
  private final DatasetReader classification = new DatasetReader(TaskType.SEQ_CLS, 2);

  private Path file(String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  @Test
  void readsJsonLinesSkippingBlankLines() throws Exception {
    Path file =
        file(
            "a.jsonl",
            "{\"text\": \"good\", \"label\": 1}\n\n{\"text\": \"bad\", \"label\": \"0\"}\n");
    assertThat(classification.read(file))
        .containsExactly(Example.classification("good", 1), Example.classification("bad", 0));
  }

  @Test
  void readsCsvWithHeaderAndQuotedCommas() throws Exception {
    Path file = file("a.csv", "text,label\n\"good, really\",1\nbad,0\n");
    assertThat(classification.read(file))
        .containsExactly(
            Example.classification("good, really", 1), Example.classification("bad", 0));
  }

  @Test
  void readsPromptResponsePairs() throws Exception {
    Path file = file("lm.jsonl", "{\"prompt\": \"q\", \"response\": \"a\"}\n");
    assertThat(new DatasetReader(TaskType.CAUSAL_LM, 0).read(file))
        .containsExactly(Example.promptResponse("q", "a"));
  }

  @Test
  void missingFieldNamesFileAndLine() throws Exception {
    Path file =
        file("a.jsonl", "{\"text\": \"good\", \"label\": 1}\n{\"txt\": \"bad\", \"label\": 0}\n");
    assertThatThrownBy(() -> classification.read(file))
        .isInstanceOf(BadInputException.class)
        .hasMessage(file + ":2: missing field 'text'");
  }

  @Test
  void malformedJsonNamesFileAndLine() throws Exception {
    Path file = file("a.jsonl", "{\"text\": \"good\", \"label\": 1}\n{\"text\": \"bad\",\n");
    assertThatThrownBy(() -> classification.read(file))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(file + ":2: malformed JSON");
  }

  @Test
  void labelOutOfRangeNamesFileAndLine() throws Exception {
    Path file = file("a.csv", "text,label\ngood,1\nbad,2\n");
    assertThatThrownBy(() -> classification.read(file))
        .isInstanceOf(BadInputException.class)
        .hasMessage(file + ":3: label 2 is out of range [0, 2) (num labels 2)");
  }

  @Test
  void nonIntegerLabelIsRejected() throws Exception {
    Path file = file("a.jsonl", "{\"text\": \"good\", \"label\": 0.5}\n");
    assertThatThrownBy(() -> classification.read(file))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining(file + ":1: field 'label' must be an integer");
  }

  @Test
  void emptyFileIsRejected() throws Exception {
    Path file = file("empty.jsonl", "\n\n");
    assertThatThrownBy(() -> classification.read(file))
        .isInstanceOf(BadInputException.class)
        .hasMessage("data file " + file + " contains no examples");
  }

  @Test
  void missingAndUnreadableFilesAreRejected() throws Exception {
    assertThatThrownBy(() -> classification.read(dir.resolve("nope.jsonl")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("nope.jsonl does not exist");
    Path binary = dir.resolve("binary.jsonl");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x41});
    assertThatThrownBy(() -> classification.read(binary))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("not valid UTF-8");
  }

  @Test
  void emptyResponseIsRejected() throws Exception {
    Path file = file("lm.jsonl", "{\"prompt\": \"q\", \"response\": \"\"}\n");
    assertThatThrownBy(() -> new DatasetReader(TaskType.CAUSAL_LM, 0).read(file))
        .isInstanceOf(BadInputException.class)
        .hasMessage(file + ":1: field 'response' is empty");
  }

  @Test
  void batchesArePaddedToTheLongestExample() {
    var examples =
        List.of(
            new EncodedExample(new long[] {2, 5, 3}, new long[3], 1, null),
            new EncodedExample(new long[] {2, 3}, new long[2], 0, null));
    try (var manager = ai.djl.ndarray.NDManager.newBaseManager()) {
      var batch = BatchBuilder.build(manager, examples);
      assertThat(batch.inputIds().toLongArray()).containsExactly(2, 5, 3, 2, 3, 0);
      assertThat(batch.attentionMask().toLongArray()).containsExactly(1, 1, 1, 1, 1, 0);
      assertThat(batch.labels().toLongArray()).containsExactly(1, 0);
    }
  }
}
