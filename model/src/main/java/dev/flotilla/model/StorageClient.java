package dev.flotilla.model;

import dev.flotilla.core.storage.GrantedObjectStore;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.S3ObjectStore;
import dev.flotilla.core.storage.S3Settings;
import dev.flotilla.core.storage.S3Uri;
import dev.flotilla.core.storage.StorageGrant;
import dev.flotilla.core.storage.StorageJson;
import dev.flotilla.core.workload.DataAccess;
import dev.flotilla.core.workload.StorageAccess;
import dev.flotilla.core.workload.TrainerInvocation;
import dev.flotilla.core.workload.WorkloadEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The trainer's way into object storage, one {@link ObjectStore} per bucket: the data owner's
 * bucket through the pool's own store and credential; everything else through the attempt's storage
 * grant (presigned URLs for exactly the objects it may read and write), or, without a grant (a
 * manual run), through credentials from the environment.
 */
public final class StorageClient implements BucketStores, AutoCloseable {
  /** An access key pair (either may be null for anonymous access). */
  public record Credentials(String accessKey, String secretKey) {
    /** The pair read from two environment variables. */
    public static Credentials fromEnvironment(String accessVariable, String secretVariable) {
      return new Credentials(System.getenv(accessVariable), System.getenv(secretVariable));
    }
  }

  private final StorageAccess exchange;
  private final Credentials exchangeCredentials;
  private final StorageGrant grant;
  private final DataAccess data;
  private final String dataBucket;
  private final Credentials dataCredentials;
  private final Map<String, ObjectStore> stores = new HashMap<>();

  private StorageClient(
      StorageAccess exchange,
      Credentials exchangeCredentials,
      StorageGrant grant,
      DataAccess data,
      String dataBucket,
      Credentials dataCredentials) {
    this.exchange = exchange;
    this.exchangeCredentials = exchangeCredentials;
    this.grant = grant;
    this.data = data;
    this.dataBucket = dataBucket;
    this.dataCredentials = dataCredentials;
  }

  /** A client of one store with explicit credentials (no grant, no data store). */
  public static StorageClient withCredentials(StorageAccess exchange, Credentials credentials) {
    return new StorageClient(exchange, credentials, null, null, null, null);
  }

  /** The storage of trainer {@code in}. */
  public static StorageClient of(TrainerInvocation in) {
    StorageGrant grant = in.grant() == null ? null : readGrant(Path.of(in.grant()));
    String dataBucket = null;
    if (in.dataStorage() != null) {
      if (!S3Uri.isS3(in.data())) {
        throw new BadInputException("--data-endpoint needs s3:// data, got " + in.data());
      }
      dataBucket = S3Uri.parse(in.data()).bucket();
      if (in.storage() != null && dataBucket.equals(in.storage().bucket())) {
        throw new BadInputException(
            "the data bucket "
                + dataBucket
                + " of the pool's own store has the name of the Federation's bucket: rename one");
      }
    }
    return new StorageClient(
        in.storage(),
        Credentials.fromEnvironment(WorkloadEnvironment.ACCESS_KEY, WorkloadEnvironment.SECRET_KEY),
        grant,
        in.dataStorage(),
        dataBucket,
        Credentials.fromEnvironment(
            WorkloadEnvironment.DATA_ACCESS_KEY, WorkloadEnvironment.DATA_SECRET_KEY));
  }

  private static StorageGrant readGrant(Path file) {
    try {
      return StorageJson.read(Files.readAllBytes(file), StorageGrant.class, file.toString());
    } catch (IOException e) {
      throw new BadInputException("storage grant " + file + ": " + e.getMessage(), e);
    }
  }

  /** The store of {@code bucket}; unreachable storage is a transient failure. */
  @Override
  public ObjectStore bucket(String bucket) {
    ObjectStore store = stores.get(bucket);
    if (store == null) {
      if (bucket.equals(dataBucket)) {
        store = open(data.endpoint(), data.region(), dataCredentials, bucket, data.pathStyle());
      } else if (grant != null) {
        store = new GrantedObjectStore(grant, bucket);
      } else if (exchange != null) {
        store =
            open(
                exchange.endpoint(),
                exchange.region(),
                exchangeCredentials,
                bucket,
                exchange.pathStyle());
      } else {
        throw new BadInputException("s3://" + bucket + " needs --storage-endpoint or --grant");
      }
      stores.put(bucket, store);
    }
    return store;
  }

  private static ObjectStore open(
      String endpoint, String region, Credentials credentials, String bucket, boolean pathStyle) {
    S3Settings settings;
    try {
      settings =
          new S3Settings(
              endpoint,
              region,
              credentials.accessKey(),
              credentials.secretKey(),
              bucket,
              pathStyle,
              false);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new BadInputException("storage settings: " + e.getMessage(), e);
    }
    try {
      return S3ObjectStore.open(settings);
    } catch (IOException e) {
      throw new TransientException("cannot open bucket " + bucket + " at " + endpoint, e);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("bucket " + bucket + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    for (Map.Entry<String, ObjectStore> e : stores.entrySet()) {
      if (e.getValue() instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception failure) {
          throw new IOException("cannot close the client of bucket " + e.getKey(), failure);
        }
      }
    }
  }
}
