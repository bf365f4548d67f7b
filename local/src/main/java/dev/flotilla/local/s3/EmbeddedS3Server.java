package dev.flotilla.local.s3;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * A real S3 protocol server (s3proxy) on a random 127.0.0.1 port, storing objects in a directory so
 * a run survives restarts; credentials are freshly generated for each start.
 */
public final class EmbeddedS3Server implements AutoCloseable {
  private final S3Proxy proxy;
  private final String accessKey;
  private final String secretKey;
  private final Path directory;

  private EmbeddedS3Server(S3Proxy proxy, String accessKey, String secretKey, Path directory) {
    this.proxy = proxy;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.directory = directory;
  }

  /**
   * Starts a server whose buckets are the sub-directories of {@code directory} (created if
   * missing), creating {@code bucket} when absent.
   *
   * @throws IOException when the directory cannot be created or the server does not start
   */
  public static EmbeddedS3Server start(Path directory, String bucket) throws IOException {
    Files.createDirectories(directory);
    SecureRandom random = new SecureRandom();
    String accessKey = "flotilla-" + randomHex(random, 6);
    String secretKey = randomHex(random, 20);
    FilesystemNio2BlobStore store =
        new FilesystemNio2BlobStore(directory.toAbsolutePath().toString());
    if (!store.containerExists(bucket)) {
      store.createContainer(bucket);
    }
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
            .build();
    try {
      proxy.start();
    } catch (Exception e) {
      throw new IOException("embedded S3 server did not start on " + directory + ": " + e, e);
    }
    return new EmbeddedS3Server(proxy, accessKey, secretKey, directory);
  }

  private static String randomHex(SecureRandom random, int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** The endpoint URL, e.g. {@code http://127.0.0.1:41234}. */
  public String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  /** The generated access key id. */
  public String accessKey() {
    return accessKey;
  }

  /** The generated secret key. */
  public String secretKey() {
    return secretKey;
  }

  /** The directory holding the buckets. */
  public Path directory() {
    return directory;
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("embedded S3 server did not stop: " + e, e);
    }
  }
}
