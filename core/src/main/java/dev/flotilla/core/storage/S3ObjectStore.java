package dev.flotilla.core.storage;

import io.minio.BucketExistsArgs;
import io.minio.DownloadObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/** An {@link ObjectStore} on one bucket of an S3-compatible server, through the MinIO client. */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {

  private static final Set<String> MISSING_CODES = Set.of("NoSuchKey", "NoSuchObject", "NotFound");

  /** One HTTP client (connection pool, TLS setup) shared by every store of the process. */
  private static final OkHttpClient HTTP =
      new OkHttpClient.Builder()
          .connectTimeout(Duration.ofSeconds(30))
          .readTimeout(Duration.ofMinutes(5))
          .writeTimeout(Duration.ofMinutes(5))
          .protocols(List.of(Protocol.HTTP_1_1))
          .build();

  private final MinioClient client;
  private final S3Settings settings;

  private S3ObjectStore(MinioClient client, S3Settings settings) {
    this.client = client;
    this.settings = settings;
  }

  /**
   * Connects to the store; checks the bucket exists, creating it when {@code
   * settings.createBucket()} is set.
   *
   * @throws IOException naming the bucket and endpoint when it is unreachable or missing
   */
  public static S3ObjectStore open(S3Settings settings) throws IOException {
    MinioClient.Builder builder =
        MinioClient.builder()
            .endpoint(settings.endpoint())
            .region(settings.region())
            .httpClient(HTTP, false);
    if (settings.accessKey() != null) {
      builder.credentials(settings.accessKey(), settings.secretKey());
    }
    MinioClient client = builder.build();
    if (settings.pathStyle()) {
      client.disableVirtualStyleEndpoint();
    } else {
      client.enableVirtualStyleEndpoint();
    }
    S3ObjectStore store = new S3ObjectStore(client, settings);
    store.ensureBucket();
    return store;
  }

  private void ensureBucket() throws IOException {
    try {
      boolean exists =
          client.bucketExists(BucketExistsArgs.builder().bucket(settings.bucket()).build());
      if (!exists && settings.createBucket()) {
        client.makeBucket(MakeBucketArgs.builder().bucket(settings.bucket()).build());
      } else if (!exists) {
        throw new IOException(
            "bucket " + settings.bucket() + " does not exist at " + settings.endpoint());
      }
    } catch (MinioException e) {
      throw failure("open bucket", settings.bucket(), e);
    } catch (IllegalStateException e) {
      // The MinIO client wraps connection failures (refused, reset, unknown host) in an
      // IllegalStateException; callers must see them as I/O failures (transient, retriable).
      if (!(e.getCause() instanceof IOException cause)) {
        throw e;
      }
      throw new IOException(
          "S3 endpoint " + settings.endpoint() + " is unreachable: " + cause.getMessage(), e);
    }
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    try {
      client.putObject(
          PutObjectArgs.builder()
              .bucket(settings.bucket())
              .object(key)
              .data(bytes, bytes.length)
              .build());
    } catch (MinioException e) {
      throw failure("put", key, e);
    }
  }

  @Override
  public void put(String key, Path file) throws IOException {
    try {
      client.uploadObject(
          UploadObjectArgs.builder()
              .bucket(settings.bucket())
              .object(key)
              .filename(file.toString())
              .build());
    } catch (MinioException e) {
      throw failure("put", key, e);
    }
  }

  @Override
  public void put(String key, InputStream in, long length) throws IOException {
    try {
      client.putObject(
          PutObjectArgs.builder().bucket(settings.bucket()).object(key).stream(in, length, null)
              .build());
    } catch (MinioException e) {
      throw failure("put", key, e);
    }
  }

  @Override
  public InputStream get(String key) throws IOException {
    try {
      return client.getObject(
          GetObjectArgs.builder().bucket(settings.bucket()).object(key).build());
    } catch (MinioException e) {
      throw failure("get", key, e);
    }
  }

  @Override
  public void getToFile(String key, Path target) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = parent.resolve("." + target.getFileName() + ".part");
    try {
      client.downloadObject(
          DownloadObjectArgs.builder()
              .bucket(settings.bucket())
              .object(key)
              .filename(tmp.toString())
              .overwrite(true)
              .build());
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (MinioException e) {
      throw failure("get", key, e);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public boolean exists(String key) throws IOException {
    try {
      client.statObject(StatObjectArgs.builder().bucket(settings.bucket()).object(key).build());
      return true;
    } catch (MinioException e) {
      if (isMissing(e)) {
        return false;
      }
      throw failure("stat", key, e);
    }
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    List<String> keys = new ArrayList<>();
    Iterable<Result<Item>> results =
        client.listObjects(
            ListObjectsArgs.builder()
                .bucket(settings.bucket())
                .prefix(prefix)
                .recursive(true)
                .build());
    try {
      for (Result<Item> result : results) {
        keys.add(result.get().objectName());
      }
    } catch (MinioException e) {
      throw failure("list", prefix, e);
    }
    return keys;
  }

  @Override
  public void delete(String key) throws IOException {
    try {
      client.removeObject(RemoveObjectArgs.builder().bucket(settings.bucket()).object(key).build());
    } catch (MinioException e) {
      if (!isMissing(e)) {
        throw failure("delete", key, e);
      }
    }
  }

  @Override
  public void close() throws Exception {
    client.close();
  }

  private static boolean isMissing(MinioException e) {
    ErrorResponseException response = errorResponse(e);
    return response != null
        && (MISSING_CODES.contains(response.errorResponse().code())
            || response.response() != null && response.response().code() == 404);
  }

  private static ErrorResponseException errorResponse(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ErrorResponseException response) {
        return response;
      }
    }
    return null;
  }

  private IOException failure(String operation, String key, MinioException e) {
    String where = settings.endpoint() + "/" + settings.bucket();
    if (isMissing(e) && !"open bucket".equals(operation)) {
      NoSuchObjectException missing = new NoSuchObjectException(where, key);
      missing.initCause(e);
      return missing;
    }
    return new IOException(
        "S3 " + operation + " of " + key + " at " + where + " failed: " + e.getMessage(), e);
  }
}
