package dev.flotilla.core.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * A real S3 protocol server (s3proxy) on a free port of 127.0.0.1, for tests of this and other
 * modules ({@code flotilla-core} test-jar). Objects live in memory, or in a directory.
 */
public final class EmbeddedS3Server implements AutoCloseable {

  /** Access key accepted by the server. */
  public static final String ACCESS_KEY = "flotilla-test";

  /** Secret key accepted by the server. */
  public static final String SECRET_KEY = "flotilla-test-secret";

  private final S3Proxy proxy;

  private EmbeddedS3Server(S3Proxy proxy) {
    this.proxy = proxy;
  }

  /** Starts a server keeping objects in memory. */
  public static EmbeddedS3Server startInMemory() throws IOException {
    return start(
        S3Proxy.builder()
            .blobStore(new TransientNio2BlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .stopTimeout(0)
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build());
  }

  /** Starts a server keeping objects as files under {@code directory}. */
  public static EmbeddedS3Server startOnDirectory(Path directory) throws IOException {
    return start(
        S3Proxy.builder()
            .blobStore(new FilesystemNio2BlobStore(directory.toAbsolutePath().toString()))
            .endpoint(URI.create("http://127.0.0.1:0"))
            .stopTimeout(0)
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build());
  }

  private static EmbeddedS3Server start(S3Proxy proxy) throws IOException {
    try {
      proxy.start();
    } catch (Exception e) {
      throw new IOException("cannot start embedded S3 server", e);
    }
    return new EmbeddedS3Server(proxy);
  }

  /** The endpoint URL, e.g. {@code http://127.0.0.1:40123}. */
  public String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  /** Settings for {@code bucket} on this server, creating the bucket on open. */
  public S3Settings settings(String bucket) {
    return new S3Settings(endpoint(), "us-east-1", ACCESS_KEY, SECRET_KEY, bucket, true, true);
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }
}
