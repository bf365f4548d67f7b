package dev.flotilla.model.data;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.model.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tokenizes examples with a Hugging Face {@code tokenizer.json} (offline, never the hub).
 * Classification: {@code [CLS] text [SEP]} truncated to the max length. Causal LM: prompt (with the
 * tokenizer's special tokens) + response + EOS; when too long the prompt loses its leading tokens
 * first, then the response its tail.
 */
public final class ExampleEncoder implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final TaskType task;
  private final int maxLength;
  private final Long eosTokenId;

  /**
   * Loads {@code source}: a {@code tokenizer.json} file, or a directory holding one (the model
   * directory). {@code eosTokenId} is appended for causal LM.
   */
  public ExampleEncoder(Path source, TaskType task, int maxLength, Long eosTokenId) {
    boolean directory = Files.isDirectory(source);
    Path file = directory ? source.resolve("tokenizer.json") : source;
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(
          directory
              ? "directory " + source + " has no tokenizer.json"
              : "tokenizer file " + source + " does not exist");
    }
    if (maxLength < 2) {
      throw new BadInputException("max seq length must be >= 2, got " + maxLength);
    }
    this.task = task;
    this.maxLength = maxLength;
    this.eosTokenId = eosTokenId;
    try {
      HuggingFaceTokenizer.Builder builder =
          HuggingFaceTokenizer.builder().optTokenizerPath(file).optPadding(false);
      if (task == TaskType.SEQ_CLS) {
        builder.optTruncation(true).optMaxLength(maxLength);
      } else {
        builder.optTruncation(false);
      }
      tokenizer = builder.build();
    } catch (IOException | RuntimeException e) {
      throw new BadInputException(file + ": cannot load tokenizer: " + e.getMessage(), e);
    }
  }

  /** Tokenizes every example. */
  public List<EncodedExample> encodeAll(List<Example> examples) {
    List<EncodedExample> encoded = new ArrayList<>(examples.size());
    for (Example example : examples) {
      encoded.add(task == TaskType.SEQ_CLS ? classification(example) : promptResponse(example));
    }
    return encoded;
  }

  private EncodedExample classification(Example example) {
    Encoding encoding = tokenizer.encode(example.text());
    return new EncodedExample(encoding.getIds(), encoding.getTypeIds(), example.label(), null);
  }

  private EncodedExample promptResponse(Example example) {
    long[] prompt = tokenizer.encode(example.text(), true, false).getIds();
    long[] response = tokenizer.encode(example.response(), false, false).getIds();
    if (eosTokenId != null) {
      response = Arrays.copyOf(response, response.length + 1);
      response[response.length - 1] = eosTokenId;
    }
    if (response.length > maxLength - 1) {
      response = Arrays.copyOf(response, maxLength - 1);
    }
    int keepPrompt = Math.min(prompt.length, maxLength - response.length);
    long[] ids = new long[keepPrompt + response.length];
    System.arraycopy(prompt, prompt.length - keepPrompt, ids, 0, keepPrompt);
    System.arraycopy(response, 0, ids, keepPrompt, response.length);
    float[] scored = new float[ids.length];
    Arrays.fill(scored, keepPrompt, ids.length, 1f);
    return new EncodedExample(ids, new long[ids.length], -1, scored);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
