package dev.flotilla.core.storage;

import io.minio.BucketExistsArgs;
import io.minio.DownloadObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/** An {@link ObjectStore} on one bucket of an S3-compatible server, through the MinIO client. */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {

  private static final Set<String> MISSING_CODES = Set.of("NoSuchKey", "NoSuchObject", "NotFound");

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
    return open(settings, StorageHttp.CLIENT);
  }

  /**
   * {@link #open(S3Settings)} with short timeouts, for a caller that must not wait on a slow or
   * hostile endpoint (the operator): each request fails after {@code connectTimeout} without a
   * connection, after {@code readTimeout} without a byte, and after their sum plus {@code
   * readTimeout} in total. The connection pool is shared with every other store of the process.
   */
  public static S3ObjectStore open(
      S3Settings settings, Duration connectTimeout, Duration readTimeout) throws IOException {
    OkHttpClient client =
        StorageHttp.CLIENT
            .newBuilder()
            .connectTimeout(connectTimeout)
            .readTimeout(readTimeout)
            .writeTimeout(readTimeout)
            .callTimeout(connectTimeout.plus(readTimeout).plus(readTimeout))
            .build();
    return open(settings, client);
  }

  private static S3ObjectStore open(S3Settings settings, OkHttpClient http) throws IOException {
    MinioClient.Builder builder =
        MinioClient.builder()
            .endpoint(settings.endpoint())
            .region(settings.region())
            .httpClient(http, false);
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
    String bucket = settings.bucket();
    boolean exists =
        call(
            "open bucket",
            bucket,
            () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
    if (!exists && settings.createBucket()) {
      run(
          "create bucket",
          bucket,
          () -> client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build()));
    } else if (!exists) {
      throw new NoSuchBucketException(bucket, settings.endpoint());
    }
  }

  /** The longest validity S3 allows a presigned URL (SigV4: seven days). */
  public static final Duration MAX_PRESIGN = Duration.ofDays(7);

  /**
   * A URL that lets its holder read ({@code write} false) or replace ({@code write} true) the
   * object {@code key} of this bucket, and nothing else, until {@code validity} has passed (at most
   * {@link #MAX_PRESIGN}, at least one second). Signing is local: no request is sent.
   */
  public String presign(boolean write, String key, Duration validity) throws IOException {
    return presignIn(settings.bucket(), write, key, validity);
  }

  /** {@link #presign} for an object of another bucket of the same store, with this credential. */
  public String presignIn(String bucket, boolean write, String key, Duration validity)
      throws IOException {
    long seconds = Math.max(1, Math.min(validity.toSeconds(), MAX_PRESIGN.toSeconds()));
    return call(
        "presign",
        key,
        () ->
            client.getPresignedObjectUrl(
                GetPresignedObjectUrlArgs.builder()
                    .method(write ? Http.Method.PUT : Http.Method.GET)
                    .bucket(bucket)
                    .object(key)
                    .expiry((int) seconds, TimeUnit.SECONDS)
                    .build()));
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    run(
        "put",
        key,
        () ->
            client.putObject(
                PutObjectArgs.builder()
                    .bucket(settings.bucket())
                    .object(key)
                    .data(bytes, bytes.length)
                    .build()));
  }

  @Override
  public boolean putIfAbsent(String key, byte[] bytes) throws IOException {
    try {
      run(
          "create",
          key,
          () ->
              client.putObject(
                  PutObjectArgs.builder()
                      .bucket(settings.bucket())
                      .object(key)
                      .headers(Map.of("If-None-Match", "*"))
                      .data(bytes, bytes.length)
                      .build()));
      return true;
    } catch (IOException e) {
      if (e.getCause() instanceof ErrorResponseException error
          && error.response() != null
          && error.response().code() == 412) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public void put(String key, Path file) throws IOException {
    run(
        "put",
        key,
        () ->
            client.uploadObject(
                UploadObjectArgs.builder()
                    .bucket(settings.bucket())
                    .object(key)
                    .filename(file.toString())
                    .build()));
  }

  @Override
  public void put(String key, InputStream in, long length) throws IOException {
    run(
        "put",
        key,
        () ->
            client.putObject(
                PutObjectArgs.builder().bucket(settings.bucket()).object(key).stream(
                        in, length, null)
                    .build()));
  }

  @Override
  public InputStream get(String key) throws IOException {
    return call(
        "get",
        key,
        () ->
            client.getObject(
                GetObjectArgs.builder().bucket(settings.bucket()).object(key).build()));
  }

  @Override
  public void getToFile(String key, Path target) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = parent.resolve("." + target.getFileName() + ".part");
    try {
      run(
          "get",
          key,
          () ->
              client.downloadObject(
                  DownloadObjectArgs.builder()
                      .bucket(settings.bucket())
                      .object(key)
                      .filename(tmp.toString())
                      .overwrite(true)
                      .build()));
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public long size(String key) throws IOException {
    return call(
        "stat",
        key,
        () ->
            client
                .statObject(StatObjectArgs.builder().bucket(settings.bucket()).object(key).build())
                .size());
  }

  @Override
  public boolean exists(String key) throws IOException {
    try {
      run(
          "stat",
          key,
          () ->
              client.statObject(
                  StatObjectArgs.builder().bucket(settings.bucket()).object(key).build()));
      return true;
    } catch (NoSuchObjectException e) {
      return false;
    }
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    return call(
        "list",
        prefix,
        () -> {
          List<String> keys = new ArrayList<>();
          Iterable<Result<Item>> results =
              client.listObjects(
                  ListObjectsArgs.builder()
                      .bucket(settings.bucket())
                      .prefix(prefix)
                      .recursive(true)
                      .build());
          for (Result<Item> result : results) {
            keys.add(result.get().objectName());
          }
          return keys;
        });
  }

  @Override
  public List<String> listDirectories(String prefix) throws IOException {
    return call(
        "list",
        prefix,
        () -> {
          List<String> directories = new ArrayList<>();
          Iterable<Result<Item>> results =
              client.listObjects(
                  ListObjectsArgs.builder()
                      .bucket(settings.bucket())
                      .prefix(prefix)
                      .delimiter("/")
                      .build());
          for (Result<Item> result : results) {
            Item item = result.get();
            String name = item.objectName();
            if (item.isDir() && name.startsWith(prefix) && name.endsWith("/")) {
              directories.add(name.substring(prefix.length(), name.length() - 1));
            }
          }
          directories.sort(null);
          return directories;
        });
  }

  @Override
  public void delete(String key) throws IOException {
    try {
      run(
          "delete",
          key,
          () ->
              client.removeObject(
                  RemoveObjectArgs.builder().bucket(settings.bucket()).object(key).build()));
    } catch (NoSuchObjectException e) {
      // Deleting an absent object is a no-op, as on S3 itself.
    }
  }

  @Override
  public void close() throws Exception {
    client.close();
  }

  /** One MinIO client call that returns a value. */
  @FunctionalInterface
  private interface S3Call<T> {
    T call() throws MinioException;
  }

  /** One MinIO client call without a result. */
  @FunctionalInterface
  private interface S3Action {
    void run() throws MinioException;
  }

  private void run(String operation, String key, S3Action action) throws IOException {
    call(
        operation,
        key,
        () -> {
          action.run();
          return null;
        });
  }

  /**
   * Runs a MinIO call and maps every failure to an {@link IOException} naming the operation, the
   * key and the endpoint: S3 error responses ({@link NoSuchObjectException} when the object is
   * missing) and connection failures (refused, reset, unknown host, timeout), which the MinIO
   * client raises as an unchecked {@code IllegalStateException} or {@code CompletionException}
   * around the I/O error; callers treat them as transient.
   */
  private <T> T call(String operation, String key, S3Call<T> call) throws IOException {
    try {
      return call.call();
    } catch (MinioException e) {
      throw failure(operation, key, e);
    } catch (RuntimeException e) {
      MinioException minio = minioCause(e);
      if (minio != null) {
        throw failure(operation, key, minio);
      }
      IOException cause = ioCause(e);
      if (cause == null) {
        throw e;
      }
      throw new IOException(
          "S3 "
              + operation
              + " of "
              + key
              + ": endpoint "
              + settings.endpoint()
              + " is unreachable: "
              + cause,
          e);
    }
  }

  private static MinioException minioCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MinioException minio) {
        return minio;
      }
    }
    return null;
  }

  private static IOException ioCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException io) {
        return io;
      }
    }
    return null;
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

  /**
   * Maps an S3 failure to an exception whose message never carries text from the response body: the
   * endpoint is chosen by a tenant, and the message ends up in conditions and events. An S3 error
   * keeps its error code (letters and digits only, at most 64) and HTTP status; any other answer
   * (HTML, a non-S3 server) is named by its kind only.
   */
  private IOException failure(String operation, String key, MinioException e) {
    String where = settings.endpoint() + "/" + settings.bucket();
    if (isMissing(e) && !operation.endsWith("bucket")) {
      NoSuchObjectException missing = new NoSuchObjectException(where, key);
      missing.initCause(e);
      return missing;
    }
    return new IOException(
        "S3 " + operation + " of " + key + " at " + where + " failed: " + describe(e), e);
  }

  private static String describe(MinioException e) {
    ErrorResponseException response = errorResponse(e);
    if (response != null) {
      String code =
          response.errorResponse() == null || response.errorResponse().code() == null
              ? ""
              : response.errorResponse().code().replaceAll("[^A-Za-z0-9]", "");
      code = code.substring(0, Math.min(64, code.length()));
      int status = response.response() == null ? 0 : response.response().code();
      return (code.isEmpty() ? "error" : code) + (status == 0 ? "" : " (HTTP " + status + ")");
    }
    if (e instanceof InvalidResponseException) {
      return "the endpoint did not answer as an S3 server (response body not shown)";
    }
    return e.getClass().getSimpleName();
  }
}
