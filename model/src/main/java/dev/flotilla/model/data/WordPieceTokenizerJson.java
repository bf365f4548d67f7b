package dev.flotilla.model.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.model.BadInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds a Hugging Face {@code tokenizer.json} for a BERT WordPiece vocabulary ({@code vocab.txt}
 * order = ids): BERT normalizer, BERT pre-tokenizer, {@code [CLS] … [SEP]} post-processing.
 */
public final class WordPieceTokenizerJson {
  private static final List<String> SPECIAL = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

  private WordPieceTokenizerJson() {}

  /** Writes the tokenizer for {@code vocab} to {@code file}. */
  public static void write(List<String> vocab, boolean lowercase, Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (String special : SPECIAL) {
      int id = vocab.indexOf(special);
      if (id < 0) {
        throw new BadInputException("vocabulary lacks the special token " + special);
      }
      ObjectNode token = added.addObject();
      token.put("id", id);
      token.put("content", special);
      token.put("single_word", false);
      token.put("lstrip", false);
      token.put("rstrip", false);
      token.put("normalized", false);
      token.put("special", true);
    }
    ObjectNode normalizer = root.putObject("normalizer");
    normalizer.put("type", "BertNormalizer");
    normalizer.put("clean_text", true);
    normalizer.put("handle_chinese_chars", true);
    normalizer.putNull("strip_accents");
    normalizer.put("lowercase", lowercase);
    root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
    ObjectNode post = root.putObject("post_processor");
    post.put("type", "BertProcessing");
    post.putArray("sep").add("[SEP]").add(vocab.indexOf("[SEP]"));
    post.putArray("cls").add("[CLS]").add(vocab.indexOf("[CLS]"));
    ObjectNode decoder = root.putObject("decoder");
    decoder.put("type", "WordPiece");
    decoder.put("prefix", "##");
    decoder.put("cleanup", true);
    ObjectNode model = root.putObject("model");
    model.put("type", "WordPiece");
    model.put("unk_token", "[UNK]");
    model.put("continuing_subword_prefix", "##");
    model.put("max_input_chars_per_word", 100);
    ObjectNode ids = model.putObject("vocab");
    for (int i = 0; i < vocab.size(); i++) {
      ids.put(vocab.get(i), i);
    }
    json.writeValue(file.toFile(), root);
  }
}
