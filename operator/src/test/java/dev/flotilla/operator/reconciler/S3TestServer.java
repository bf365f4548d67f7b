package dev.flotilla.operator.reconciler;

import dev.flotilla.core.storage.S3Settings;
import java.io.IOException;
import java.net.URI;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * A real S3 protocol server (s3proxy, objects in memory) on a free loopback port, with signature
 * authentication, shared by the operator under test and the test kubelet.
 */
final class S3TestServer implements AutoCloseable {

  static final String ACCESS_KEY = "flotilla-operator-test";
  static final String SECRET_KEY = "flotilla-operator-test-secret";

  private final S3Proxy proxy;
  private final String accessKey;
  private final String secretKey;

  private S3TestServer(S3Proxy proxy, String accessKey, String secretKey) {
    this.proxy = proxy;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  static S3TestServer start() throws IOException {
    return start(ACCESS_KEY, SECRET_KEY);
  }

  /** A server accepting only {@code accessKey}/{@code secretKey} (e.g. one data owner's store). */
  static S3TestServer start(String accessKey, String secretKey) throws IOException {
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(new TransientNio2BlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
            .build();
    try {
      proxy.start();
    } catch (Exception e) {
      throw new IOException("cannot start the embedded S3 server", e);
    }
    return new S3TestServer(proxy, accessKey, secretKey);
  }

  String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  /** Settings for {@code bucket}, created on open. */
  S3Settings settings(String bucket) {
    return new S3Settings(endpoint(), "us-east-1", accessKey, secretKey, bucket, true, true);
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }
}
