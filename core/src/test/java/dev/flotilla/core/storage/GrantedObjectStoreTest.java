package dev.flotilla.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A storage grant against a real S3 server (s3proxy): it reads and writes exactly the objects it
 * names, with the verbs it names, until it expires; a key it does not name, or a URL edited to
 * point elsewhere, is refused.
 */
class GrantedObjectStoreTest {
  private static EmbeddedS3Server server;
  private static S3ObjectStore root;

  @BeforeAll
  static void start() throws IOException {
    server = EmbeddedS3Server.startInMemory();
    root = S3ObjectStore.open(server.settings("flotilla"));
    root.put("in/readable", "hello".getBytes(StandardCharsets.UTF_8));
    root.put("in/secret", "other client's".getBytes(StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() throws Exception {
    root.close();
    server.close();
  }

  private static StorageGrant grant(Duration validity) throws IOException {
    return new StorageGrant(
        StorageGrant.SCHEMA_VERSION,
        Instant.now().plus(validity).toString(),
        Map.of(
            "flotilla",
            Map.of(
                "in/readable",
                new StorageGrant.Access(root.presign(false, "in/readable", validity), null),
                "out/mine",
                new StorageGrant.Access(null, root.presign(true, "out/mine", validity)))));
  }

  @Test
  void readsAndWritesExactlyWhatItNames() throws IOException {
    GrantedObjectStore store = new GrantedObjectStore(grant(Duration.ofMinutes(5)), "flotilla");

    assertThat(new String(store.getBytes("in/readable"), StandardCharsets.UTF_8))
        .isEqualTo("hello");
    store.put("out/mine", "upload".getBytes(StandardCharsets.UTF_8));
    assertThat(root.getBytes("out/mine")).asString().isEqualTo("upload");
    assertThat(store.list("in/")).containsExactly("in/readable");
    assertThat(store.size("in/readable")).isEqualTo(5);

    assertThatThrownBy(() -> store.getBytes("in/secret"))
        .hasMessageContaining("does not allow read");
    assertThatThrownBy(() -> store.put("in/readable", new byte[] {1}))
        .hasMessageContaining("does not allow write");
    assertThatThrownBy(() -> store.getBytes("out/mine"))
        .hasMessageContaining("does not allow read");
    assertThatThrownBy(() -> store.delete("in/readable"))
        .hasMessageContaining("does not allow delete");
    assertThat(root.getBytes("in/readable")).asString().isEqualTo("hello");
  }

  @Test
  void aUrlEditedToAnotherKeyIsRefusedByTheStore() throws Exception {
    String url = grant(Duration.ofMinutes(5)).objects("flotilla").get("in/readable").get();
    String edited = url.replace("/in/readable?", "/in/secret?");

    assertThat(status(edited, "GET")).isEqualTo(403);
    String put = grant(Duration.ofMinutes(5)).objects("flotilla").get("out/mine").put();
    assertThat(status(put, "GET")).as("a PUT URL does not read").isEqualTo(403);
  }

  @Test
  void expiredGrantsStopWorking() throws Exception {
    StorageGrant grant = grant(Duration.ofSeconds(1));
    Thread.sleep(2_100);
    GrantedObjectStore store = new GrantedObjectStore(grant, "flotilla");

    assertThatThrownBy(() -> store.getBytes("in/readable")).hasMessageContaining("refused");
    assertThatThrownBy(() -> store.put("out/mine", new byte[] {9})).hasMessageContaining("refused");
  }

  private static int status(String url, String method) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return HttpClient.newHttpClient()
        .send(request, HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
