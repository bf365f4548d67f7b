package dev.flotilla.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link S3ObjectStore} against a real S3 protocol server (embedded s3proxy). */
class S3ObjectStoreTest extends ObjectStoreContract {

  private static EmbeddedS3Server server;
  private static S3ObjectStore store;

  @BeforeAll
  static void start() throws IOException {
    server = EmbeddedS3Server.startInMemory();
    store = S3ObjectStore.open(server.settings("flotilla"));
  }

  @AfterAll
  static void stop() throws Exception {
    store.close();
    server.close();
  }

  @Override
  ObjectStore store() {
    return store;
  }

  @Test
  void missingBucketWithoutCreateIsAClearError() {
    S3Settings settings =
        new S3Settings(
            server.endpoint(),
            "us-east-1",
            EmbeddedS3Server.ACCESS_KEY,
            EmbeddedS3Server.SECRET_KEY,
            "absent-bucket",
            true,
            false);

    assertThatThrownBy(() -> S3ObjectStore.open(settings))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("absent-bucket");
  }

  @Test
  void wrongCredentialsAreRefused() {
    S3Settings settings =
        new S3Settings(server.endpoint(), "us-east-1", "nobody", "wrong", "flotilla", true, false);

    assertThatThrownBy(() -> S3ObjectStore.open(settings)).isInstanceOf(IOException.class);
  }

  @Test
  void unreachableEndpointIsAnIoException() throws IOException {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    S3Settings settings =
        new S3Settings(
            "http://127.0.0.1:" + closedPort,
            "us-east-1",
            "key",
            "secret",
            "flotilla",
            true,
            false);
    assertThatThrownBy(() -> S3ObjectStore.open(settings))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("127.0.0.1:" + closedPort);
  }

  @Test
  void everyOperationReportsALostConnectionAsAnIoException(@TempDir Path dir) throws Exception {
    EmbeddedS3Server lost = EmbeddedS3Server.startInMemory();
    String endpoint = lost.endpoint();
    Path file = Files.write(dir.resolve("payload"), new byte[] {1, 2, 3});
    try (S3ObjectStore orphan = S3ObjectStore.open(lost.settings("orphan"))) {
      orphan.put("present", new byte[] {1});
      lost.close();

      ThrowingCallable[] operations = {
        () -> orphan.put("k", new byte[] {1}),
        () -> orphan.put("k", file),
        () -> orphan.put("k", new ByteArrayInputStream(new byte[] {1}), 1),
        () -> orphan.get("present"),
        () -> orphan.getToFile("present", dir.resolve("copy")),
        () -> orphan.exists("present"),
        () -> orphan.list(""),
        () -> orphan.delete("present")
      };
      for (ThrowingCallable operation : operations) {
        assertThatThrownBy(operation)
            .isInstanceOf(IOException.class)
            .isNotInstanceOf(NoSuchObjectException.class)
            .hasMessageContaining(endpoint);
      }
    }
    assertThat(dir.resolve("copy")).doesNotExist();
  }

  @Test
  void settingsRejectAnEndpointWithoutScheme() {
    assertThatThrownBy(() -> new S3Settings("minio:9000", null, null, null, "b", true, false))
        .hasMessageContaining("storage.endpoint");
  }
}
