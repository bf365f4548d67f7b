package dev.flotilla.local.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.core.storage.NoSuchObjectException;
import dev.flotilla.core.storage.S3ObjectStore;
import dev.flotilla.core.storage.S3Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedS3ServerTest {
  @TempDir Path dir;

  private static S3ObjectStore client(EmbeddedS3Server server, String secret) throws Exception {
    return S3ObjectStore.open(
        new S3Settings(
            server.endpoint(), "us-east-1", server.accessKey(), secret, "flotilla", true, false));
  }

  @Test
  void servesTheS3ProtocolAndKeepsObjectsAcrossRestarts() throws Exception {
    try (EmbeddedS3Server server = EmbeddedS3Server.start(dir, "flotilla");
        S3ObjectStore store = client(server, server.secretKey())) {
      assertThat(server.endpoint()).startsWith("http://127.0.0.1:");
      store.put("fed/rounds/0001/manifest.json", "{}".getBytes(StandardCharsets.UTF_8));
      store.put("fed/rounds/0001/plan.json", "[]".getBytes(StandardCharsets.UTF_8));
      assertThat(store.list("fed/rounds/"))
          .containsExactly("fed/rounds/0001/manifest.json", "fed/rounds/0001/plan.json");
      assertThatThrownBy(() -> store.get("fed/missing")).isInstanceOf(NoSuchObjectException.class);
    }
    try (EmbeddedS3Server server = EmbeddedS3Server.start(dir, "flotilla");
        S3ObjectStore store = client(server, server.secretKey())) {
      assertThat(new String(store.getBytes("fed/rounds/0001/plan.json"), StandardCharsets.UTF_8))
          .isEqualTo("[]");
    }
  }

  @Test
  void refusesWrongCredentials() throws Exception {
    try (EmbeddedS3Server server = EmbeddedS3Server.start(dir, "flotilla")) {
      assertThatThrownBy(() -> client(server, "not-the-secret").close())
          .isInstanceOf(java.io.IOException.class);
    }
  }
}
