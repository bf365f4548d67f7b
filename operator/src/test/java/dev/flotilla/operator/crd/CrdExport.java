package dev.flotilla.operator.crd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Regenerates the committed CRD copies ({@code crds/} and the Helm chart's {@code crds/}). Run by
 * {@code operator/update-crds.sh} (the {@code -Dflotilla.updateCrds} Maven profile).
 */
public final class CrdExport {

  private CrdExport() {}

  /** Writes the generated CRDs into every directory given as an argument. */
  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: CrdExport DIRECTORY...");
    }
    Map<String, String> generated = CrdFiles.generate(Files.createTempDirectory("flotilla-crds"));
    for (String target : args) {
      Path directory = Path.of(target).toAbsolutePath().normalize();
      Files.createDirectories(directory);
      for (Map.Entry<String, String> file : generated.entrySet()) {
        Files.writeString(directory.resolve(file.getKey()), file.getValue());
      }
      System.out.println("CRDs written to " + directory + ": " + generated.keySet());
    }
  }
}
