package dev.flotilla.core.workload;

import dev.flotilla.core.aggregation.ServerOptimizerType;
import dev.flotilla.core.storage.S3Uri;
import dev.flotilla.core.storage.StorageGrant;
import dev.flotilla.core.storage.StorageLayout;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The least a workload attempt needs in object storage, as a {@link StorageGrant}: a trainer reads
 * the base model, its tokenizer, its own data (unless the data owner's store serves it) and its
 * starting adapter, and writes its own upload of this round; an aggregator reads the plan, the
 * uploads of the clients it aggregates, its evaluation inputs and the base round's manifest,
 * adapters and server optimizer state, and writes the round's global and per-rank adapters, its
 * server optimizer state and the manifest. Nothing is deletable, nothing else readable or writable,
 * and everything expires at the attempt's deadline.
 */
public final class WorkloadGrants {
  private final GrantSigner signer;
  private final Map<String, Map<String, StorageGrant.Access>> buckets = new TreeMap<>();

  private WorkloadGrants(GrantSigner signer) {
    this.signer = signer;
  }

  /** The grant of trainer {@code in}, expiring at {@code expires}. */
  public static StorageGrant trainer(
      TrainerInvocation in, StorageLayout layout, GrantSigner signer, Instant expires)
      throws IOException {
    WorkloadGrants grants = new WorkloadGrants(signer);
    grants.readTree(in.model().baseModel());
    grants.readObjectOrTree(in.model().tokenizer());
    if (in.dataStorage() == null) {
      grants.readObjectOrTree(in.data());
    }
    grants.readTree(in.startAdapter());
    String upload = layout.clientAdapterPrefix(in.round(), in.clientId(), in.attempt());
    for (String file :
        List.of(StorageLayout.ADAPTER_MODEL, StorageLayout.ADAPTER_CONFIG, StorageLayout.METRICS)) {
      grants.write(layout.bucket(), upload + file);
    }
    return grants.build(expires);
  }

  /** The grant of aggregator {@code in}, expiring at {@code expires}. */
  public static StorageGrant aggregator(
      AggregatorInvocation in, StorageLayout layout, GrantSigner signer, Instant expires)
      throws IOException {
    WorkloadGrants grants = new WorkloadGrants(signer);
    String bucket = layout.bucket();
    grants.read(bucket, layout.planKey(in.round()));
    grants.read(bucket, layout.manifestKey(in.round()));
    grants.write(bucket, layout.manifestKey(in.round()));
    for (String client : in.clients()) {
      String upload = layout.clientAdapterPrefix(in.round(), client, in.attemptOf(client));
      for (String file :
          List.of(
              StorageLayout.METRICS, StorageLayout.ADAPTER_MODEL, StorageLayout.ADAPTER_CONFIG)) {
        grants.read(bucket, upload + file);
      }
    }
    grants.writeAdapter(bucket, layout.globalAdapterPrefix(in.round()));
    boolean optimizer = in.serverOptimizer().type() != ServerOptimizerType.NONE;
    if (optimizer) {
      grants.write(bucket, layout.serverOptimizerStateKey(in.round()));
    }
    if (in.baseRound() > 0) {
      int base = in.baseRound();
      grants.read(bucket, layout.manifestKey(base));
      if (optimizer) {
        grants.read(bucket, layout.serverOptimizerStateKey(base));
      }
      grants.readAdapter(bucket, layout.globalAdapterPrefix(base));
      for (int rank : in.ranks()) {
        grants.readAdapter(bucket, layout.rankAdapterPrefix(base, rank));
      }
    }
    for (int rank : in.ranks()) {
      grants.writeAdapter(bucket, layout.rankAdapterPrefix(in.round(), rank));
    }
    if (in.evaluation() != null) {
      grants.readTree(in.evaluation().model().baseModel());
      grants.readObjectOrTree(in.evaluation().model().tokenizer());
      grants.readObjectOrTree(in.evaluation().data());
    }
    return grants.build(expires);
  }

  private void writeAdapter(String bucket, String prefix) throws IOException {
    write(bucket, prefix + StorageLayout.ADAPTER_MODEL);
    write(bucket, prefix + StorageLayout.ADAPTER_CONFIG);
  }

  private void readAdapter(String bucket, String prefix) throws IOException {
    read(bucket, prefix + StorageLayout.ADAPTER_MODEL);
    read(bucket, prefix + StorageLayout.ADAPTER_CONFIG);
  }

  /** Every object under an s3:// prefix (a directory location); nothing for a local path. */
  private void readTree(String location) throws IOException {
    if (location == null || !S3Uri.isS3(location)) {
      return;
    }
    S3Uri uri = S3Uri.parse(location);
    String prefix = uri.key().isEmpty() || uri.key().endsWith("/") ? uri.key() : uri.key() + "/";
    for (String key : signer.list(uri.bucket(), prefix)) {
      read(uri.bucket(), key);
    }
  }

  /** One s3:// object, or every object under an s3:// prefix ending in {@code /}. */
  private void readObjectOrTree(String location) throws IOException {
    if (location == null || !S3Uri.isS3(location)) {
      return;
    }
    S3Uri uri = S3Uri.parse(location);
    if (uri.key().endsWith("/")) {
      readTree(location);
    } else {
      read(uri.bucket(), uri.key());
    }
  }

  private void read(String bucket, String key) throws IOException {
    StorageGrant.Access old = access(bucket, key);
    put(bucket, key, new StorageGrant.Access(signer.sign(bucket, key, false), old.put()));
  }

  private void write(String bucket, String key) throws IOException {
    StorageGrant.Access old = access(bucket, key);
    put(bucket, key, new StorageGrant.Access(old.get(), signer.sign(bucket, key, true)));
  }

  private StorageGrant.Access access(String bucket, String key) {
    return buckets
        .getOrDefault(bucket, Map.of())
        .getOrDefault(key, new StorageGrant.Access(null, null));
  }

  private void put(String bucket, String key, StorageGrant.Access access) {
    buckets.computeIfAbsent(bucket, b -> new TreeMap<>()).put(key, access);
  }

  private StorageGrant build(Instant expires) {
    return new StorageGrant(StorageGrant.SCHEMA_VERSION, expires.toString(), buckets);
  }
}
