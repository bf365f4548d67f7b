package dev.flotilla.local.run;

import java.net.URI;
import java.nio.file.Path;

/**
 * Resolves the data and model URIs of a manifest for local processes: {@code file:<path>} (relative
 * paths against the manifest's directory) and absolute paths become absolute file paths; {@code
 * s3://} URIs refer to the embedded store and pass through.
 */
public final class LocalUris {
  private final Path baseDirectory;

  /** Resolves relative paths against {@code baseDirectory}. */
  public LocalUris(Path baseDirectory) {
    this.baseDirectory = baseDirectory.toAbsolutePath().normalize();
  }

  /**
   * The location a local trainer or aggregator reads {@code uri} from.
   *
   * @param field the spec field, named in errors
   */
  public String resolve(String field, String uri) {
    if (uri.startsWith("s3://")) {
      return uri;
    }
    String path = uri;
    if (uri.startsWith("file:")) {
      path =
          uri.startsWith("file://") ? URI.create(uri).getPath() : uri.substring("file:".length());
    }
    return baseDirectory.resolve(path).normalize().toString();
  }
}
