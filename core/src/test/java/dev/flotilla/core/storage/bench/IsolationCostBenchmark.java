package dev.flotilla.core.storage.bench;

import dev.flotilla.core.storage.EmbeddedS3Server;
import dev.flotilla.core.storage.GrantedObjectStore;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.S3ObjectStore;
import dev.flotilla.core.storage.Sha256;
import dev.flotilla.core.storage.StorageGrant;
import dev.flotilla.core.storage.StorageJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * What the data-plane isolation costs, against a reference measured in the same run: signing a
 * grant (per URL, no request) against one real S3 request; SHA-256 of an upload against reading the
 * same bytes; and a round trip of an adapter-sized object through a grant against the same round
 * trip with the root credential (both to the embedded s3proxy on loopback). Run it with {@code
 * scripts/run-isolation-benchmark.sh}; it prints its figures.
 */
public final class IsolationCostBenchmark {
  private static final int ADAPTER_BYTES = 5 << 20;
  private static final int REPEATS = 20;

  private IsolationCostBenchmark() {}

  /** Runs every measurement and prints it. */
  public static void main(String[] args) throws Exception {
    Path scratch = Files.createTempDirectory("isolation-bench");
    byte[] adapter = new byte[ADAPTER_BYTES];
    new Random(1).nextBytes(adapter);
    try (EmbeddedS3Server server = EmbeddedS3Server.startInMemory();
        S3ObjectStore root = S3ObjectStore.open(server.settings("flotilla"))) {
      root.put("warm/object", adapter);
      root.getBytes("warm/object");

      long signStart = System.nanoTime();
      int urls = 20_000;
      for (int i = 0; i < urls; i++) {
        root.presign(
            i % 2 == 0,
            "rounds/0001/clients/c" + i + "/adapter_model.safetensors",
            Duration.ofMinutes(30));
      }
      double signMicros = (System.nanoTime() - signStart) / 1e3 / urls;

      long requestStart = System.nanoTime();
      for (int i = 0; i < REPEATS; i++) {
        root.exists("warm/object");
      }
      double requestMicros = (System.nanoTime() - requestStart) / 1e3 / REPEATS;

      Map<String, StorageGrant.Access> objects = new HashMap<>();
      objects.put(
          "bench/adapter",
          new StorageGrant.Access(
              root.presign(false, "bench/adapter", Duration.ofMinutes(30)),
              root.presign(true, "bench/adapter", Duration.ofMinutes(30))));
      StorageGrant grant =
          new StorageGrant(
              StorageGrant.SCHEMA_VERSION,
              Instant.now().plus(Duration.ofMinutes(30)).toString(),
              Map.of("flotilla", objects));
      GrantedObjectStore granted = new GrantedObjectStore(grant, "flotilla");
      double rootRoundTrip = roundTrips(root, adapter, "bench/adapter");
      double grantRoundTrip = roundTrips(granted, adapter, "bench/adapter");
      rootRoundTrip = Math.min(rootRoundTrip, roundTrips(root, adapter, "bench/adapter"));
      grantRoundTrip = Math.min(grantRoundTrip, roundTrips(granted, adapter, "bench/adapter"));

      Path file = scratch.resolve("upload.bin");
      byte[] big = new byte[256 << 20];
      new Random(2).nextBytes(big);
      Files.write(file, big);
      double readSeconds = Double.MAX_VALUE;
      double hashSeconds = Double.MAX_VALUE;
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        long sum = 0;
        try (var in = Files.newInputStream(file)) {
          byte[] buffer = new byte[1 << 16];
          for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            sum += buffer[0];
          }
        }
        readSeconds = Math.min(readSeconds, (System.nanoTime() - t0) / 1e9);
        long t1 = System.nanoTime();
        String hash = Sha256.hex(file);
        hashSeconds = Math.min(hashSeconds, (System.nanoTime() - t1) / 1e9);
        if (hash.isEmpty() || sum == Long.MIN_VALUE) {
          throw new IllegalStateException();
        }
      }
      double gib = big.length / (double) (1L << 30);

      byte[] grantJson = StorageJson.write(grant);
      System.out.printf(
          Locale.ROOT,
          "signing: %.1f us per URL (local) vs %.0f us per S3 request (HEAD, loopback): %.3f%n",
          signMicros,
          requestMicros,
          signMicros / requestMicros);
      System.out.printf(
          Locale.ROOT,
          "5 MiB adapter put+get: granted %.1f ms vs root credential %.1f ms: ratio %.2f%n",
          grantRoundTrip * 1e3,
          rootRoundTrip * 1e3,
          grantRoundTrip / rootRoundTrip);
      System.out.printf(
          Locale.ROOT,
          "SHA-256: %.2f s/GiB vs reading the file %.2f s/GiB (ratio %.1f); a grant of one object"
              + " is %d bytes of JSON%n",
          hashSeconds / gib,
          readSeconds / gib,
          hashSeconds / readSeconds,
          grantJson.length);
    } finally {
      try (var files = Files.walk(scratch)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static double roundTrips(ObjectStore store, byte[] bytes, String key) throws IOException {
    long start = System.nanoTime();
    for (int i = 0; i < REPEATS; i++) {
      store.put(key, bytes);
      if (store.getBytes(key).length != bytes.length) {
        throw new IllegalStateException("short read");
      }
    }
    return (System.nanoTime() - start) / 1e9 / REPEATS;
  }
}
