package dev.flotilla.local.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The default workload images of the local container runtime: the ones {@code
 * scripts/build-images.sh} tags, {@code localhost/flotilla-<name>:<project version>}.
 *
 * @param trainer trainer image of pools and Federations that name none
 * @param aggregator aggregator image of Federations that name none
 */
public record ContainerImages(String trainer, String aggregator) {

  /** The images built from this checkout. */
  public static ContainerImages built() {
    String version = projectVersion();
    return new ContainerImages(
        "localhost/flotilla-trainer:" + version, "localhost/flotilla-aggregator:" + version);
  }

  /** The first of {@code candidates} that is neither null nor blank. */
  static String first(String... candidates) {
    for (String candidate : candidates) {
      if (candidate != null && !candidate.isBlank()) {
        return candidate;
      }
    }
    throw new IllegalArgumentException("no image given");
  }

  private static String projectVersion() {
    Properties properties = new Properties();
    try (InputStream in =
        ContainerImages.class.getResourceAsStream("/flotilla-version.properties")) {
      if (in == null) {
        throw new IllegalStateException("flotilla-version.properties missing from the class path");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version");
  }
}
