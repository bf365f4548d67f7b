package dev.flotilla.model;

import ai.djl.ndarray.NDManager;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.core.spec.ModelArchitecture;
import dev.flotilla.model.data.ExampleEncoder;
import dev.flotilla.model.nn.HfConfig;
import dev.flotilla.model.nn.LoraSettings;
import dev.flotilla.model.nn.ModelLoader;
import dev.flotilla.model.nn.TrainableModel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A base model resolved to local files: its Hugging Face directory read as one architecture family,
 * and the {@code tokenizer.json} to encode its inputs with.
 *
 * @param location where the model came from (directory or s3 prefix), recorded in its adapters
 * @param directory the local Hugging Face directory
 * @param tokenizer the local {@code tokenizer.json}
 * @param architecture the requested family (AUTO: from {@code config.json})
 * @param config the parsed {@code config.json}
 */
public record BaseModel(
    String location,
    Path directory,
    Path tokenizer,
    ModelArchitecture architecture,
    HfConfig config) {

  /**
   * Reads the model in {@code directory} as {@code architecture}, with the tokenizer file {@code
   * tokenizer} or, when null, the directory's own {@code tokenizer.json}.
   *
   * @throws BadInputException when {@code config.json} is invalid or does not match the
   *     architecture, or when the directory has no tokenizer and none is given
   */
  public static BaseModel open(
      String location, Path directory, ModelArchitecture architecture, Path tokenizer) {
    HfConfig config = HfConfig.read(directory, architecture);
    Path file = tokenizer != null ? tokenizer : directory.resolve("tokenizer.json");
    if (tokenizer == null && !Files.isRegularFile(file)) {
      throw new BadInputException("model directory " + directory + " has no tokenizer.json");
    }
    return new BaseModel(location, directory, file, architecture, config);
  }

  /** The model in local {@code directory}, its family read from {@code config.json}. */
  public static BaseModel local(Path directory) {
    return open(directory.toString(), directory, ModelArchitecture.AUTO, null);
  }

  /**
   * The trainable model for {@code task} in a new sub-manager of {@code parent} (see {@link
   * ModelLoader#load}).
   *
   * @param start the starting adapter, or null for a fresh LoRA init
   */
  public TrainableModel load(
      TaskType task, int numLabels, LoraSettings lora, LoraAdapter start, NDManager parent) {
    return ModelLoader.load(directory, architecture, task, numLabels, lora, start, parent);
  }

  /** An encoder of {@code task} examples truncated to {@code maxSeqLength} tokens. */
  public ExampleEncoder encoder(TaskType task, int maxSeqLength) {
    return new ExampleEncoder(tokenizer, task, maxSeqLength, config.eosTokenId());
  }
}
