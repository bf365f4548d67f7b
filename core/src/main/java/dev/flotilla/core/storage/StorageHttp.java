package dev.flotilla.core.storage;

import java.time.Duration;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/** The one HTTP client (connection pool, TLS setup) of every S3 request of the process. */
final class StorageHttp {
  static final OkHttpClient CLIENT =
      new OkHttpClient.Builder()
          .connectTimeout(Duration.ofSeconds(30))
          .readTimeout(Duration.ofMinutes(5))
          .writeTimeout(Duration.ofMinutes(5))
          .protocols(List.of(Protocol.HTTP_1_1))
          .build();

  private StorageHttp() {}
}
