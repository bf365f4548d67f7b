package dev.flotilla.core.workload;

import dev.flotilla.core.spec.StorageSpec;

/**
 * How a workload reaches the federation's object storage (credentials come from the environment).
 *
 * @param endpoint S3 endpoint URL
 * @param bucket the federation's bucket
 * @param prefix key prefix of the federation layout
 * @param region signing region
 * @param pathStyle path-style addressing
 */
public record StorageAccess(
    String endpoint, String bucket, String prefix, String region, boolean pathStyle) {

  /** The spec's storage as reached from {@code site}. */
  static StorageAccess of(StorageSpec storage, WorkloadSite site) {
    return new StorageAccess(
        site.storageEndpoint(),
        storage.getBucket(),
        storage.getPrefix(),
        storage.getRegion(),
        site.pathStyle());
  }

  /** {@code s3://bucket/key} of an object or prefix in this bucket. */
  String uri(String key) {
    return "s3://" + bucket + "/" + key;
  }

  void addTo(ProgramArguments args) {
    args.add("storage-endpoint", endpoint)
        .add("storage-bucket", bucket)
        .add("storage-prefix", prefix)
        .add("storage-region", region)
        .add("storage-path-style", pathStyle);
  }
}
