package dev.flotilla.operator.crd;

import dev.flotilla.operator.api.v1alpha1.ClientPool;
import dev.flotilla.operator.api.v1alpha1.Federation;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Generates Flotilla's CRDs exactly as the Quarkus build does (Fabric8 CRD generator v2 with the
 * {@link DeclaredPrinterColumnOrder} post-processor) and reads committed copies.
 */
final class CrdFiles {

  /** The generated file names, as in {@code operator/target/kubernetes}. */
  static final String FEDERATIONS = "federations.flotilla.dev-v1.yml";

  static final String CLIENTPOOLS = "clientpools.flotilla.dev-v1.yml";

  private CrdFiles() {}

  /** Generates the CRDs into {@code directory}; returns file name to content. */
  static Map<String, String> generate(Path directory) throws IOException {
    Files.createDirectories(directory);
    new CRDGenerator()
        .inOutputDir(directory.toFile())
        .forCRDVersions("v1")
        .withPostProcessor(new DeclaredPrinterColumnOrder())
        .customResourceClasses(Federation.class, ClientPool.class)
        .generate();
    return read(directory);
  }

  /** The {@code *.yml} files of {@code directory}, by name. */
  static Map<String, String> read(Path directory) throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (!Files.isDirectory(directory)) {
      return files;
    }
    try (Stream<Path> list = Files.list(directory)) {
      for (Path file : list.filter(p -> p.toString().endsWith("-v1.yml")).toList()) {
        files.put(file.getFileName().toString(), Files.readString(file));
      }
    }
    return files;
  }

  /** Parses a CRD file. */
  static CustomResourceDefinition parse(String yaml) {
    return Serialization.unmarshal(yaml, CustomResourceDefinition.class);
  }
}
