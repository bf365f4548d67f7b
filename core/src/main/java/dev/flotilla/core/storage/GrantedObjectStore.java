package dev.flotilla.core.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import okio.Okio;
import okio.Source;

/**
 * An {@link ObjectStore} on one bucket that can do only what a {@link StorageGrant} allows: reads
 * and writes go to the grant's presigned URLs; a key the grant does not name is refused before any
 * request, and {@link #list} answers from the keys the grant names. Deleting is never granted.
 */
public final class GrantedObjectStore implements ObjectStore {

  private static final MediaType OCTETS = MediaType.get("application/octet-stream");

  private final String bucket;
  private final Map<String, StorageGrant.Access> objects;
  private final String expires;

  /** The granted part of {@code bucket}. */
  public GrantedObjectStore(StorageGrant grant, String bucket) {
    this.bucket = bucket;
    this.objects = grant.objects(bucket);
    this.expires = grant.expires();
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    send(key, RequestBody.create(bytes, OCTETS));
  }

  @Override
  public boolean putIfAbsent(String key, byte[] bytes) throws IOException {
    String url = url(key, StorageGrant.Access::put, "write");
    Request request =
        new Request.Builder()
            .url(url)
            .header("If-None-Match", "*")
            .put(RequestBody.create(bytes, OCTETS))
            .build();
    try (Response response = StorageHttp.CLIENT.newCall(request).execute()) {
      if (response.code() == 412) {
        return false;
      }
      check(response, key, "write");
      return true;
    }
  }

  @Override
  public void put(String key, Path file) throws IOException {
    send(key, RequestBody.create(file.toFile(), OCTETS));
  }

  @Override
  public void put(String key, InputStream in, long length) throws IOException {
    send(
        key,
        new RequestBody() {
          @Override
          public MediaType contentType() {
            return OCTETS;
          }

          @Override
          public long contentLength() {
            return length;
          }

          @Override
          public void writeTo(BufferedSink sink) throws IOException {
            try (Source source = Okio.source(in)) {
              sink.write(source, length);
            }
          }
        });
  }

  private void send(String key, RequestBody body) throws IOException {
    String url = url(key, StorageGrant.Access::put, "write");
    try (Response response =
        StorageHttp.CLIENT.newCall(new Request.Builder().url(url).put(body).build()).execute()) {
      check(response, key, "write");
    }
  }

  @Override
  public InputStream get(String key) throws IOException {
    Response response = open(key);
    return response.body().byteStream();
  }

  private Response open(String key) throws IOException {
    String url = url(key, StorageGrant.Access::get, "read");
    Response response =
        StorageHttp.CLIENT.newCall(new Request.Builder().url(url).get().build()).execute();
    try {
      check(response, key, "read");
      return response;
    } catch (IOException | RuntimeException e) {
      response.close();
      throw e;
    }
  }

  @Override
  public void getToFile(String key, Path target) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path partial = Files.createTempFile(parent, ".download-", ".part");
    try (InputStream in = get(key)) {
      Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /**
   * {@inheritDoc} Read from the {@code Content-Length} of the granted GET, whose body is not read
   * (a grant signs one method per object, so there is no HEAD).
   */
  @Override
  public long size(String key) throws IOException {
    try (Response response = open(key)) {
      String length = response.header("Content-Length");
      if (length == null) {
        throw new IOException("s3://" + bucket + "/" + key + ": the store sent no Content-Length");
      }
      return Long.parseLong(length);
    }
  }

  @Override
  public boolean exists(String key) throws IOException {
    if (!objects.containsKey(key) || objects.get(key).get() == null) {
      return false;
    }
    try (Response response = open(key)) {
      return true;
    } catch (NoSuchObjectException e) {
      return false;
    }
  }

  /** The keys under {@code prefix} that the grant lets this workload read. */
  @Override
  public List<String> list(String prefix) {
    return objects.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix) && e.getValue().get() != null)
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  @Override
  public void delete(String key) throws IOException {
    throw new IOException(denied(key, "delete"));
  }

  private String url(
      String key, java.util.function.Function<StorageGrant.Access, String> verb, String what)
      throws IOException {
    StorageGrant.Access access = objects.get(key);
    String url = access == null ? null : verb.apply(access);
    if (url == null) {
      throw new IOException(denied(key, what));
    }
    return url;
  }

  private String denied(String key, String what) {
    return "s3://" + bucket + "/" + key + ": this workload's storage grant does not allow " + what;
  }

  private void check(Response response, String key, String what) throws IOException {
    int code = response.code();
    if (response.isSuccessful()) {
      return;
    }
    String object = "s3://" + bucket + "/" + key;
    if (code == 404) {
      throw new NoSuchObjectException("s3://" + bucket, key);
    }
    if (code == 403) {
      throw new IOException(
          object + ": " + what + " refused by the store (the grant expires " + expires + ")");
    }
    throw new IOException(object + ": " + what + " failed with HTTP " + code);
  }
}
