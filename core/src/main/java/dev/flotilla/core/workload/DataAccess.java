package dev.flotilla.core.workload;

import dev.flotilla.core.spec.DataStorageSpec;

/**
 * The data owner's store from which a trainer reads its client's data (credentials come from the
 * environment, from the pool's own Secret).
 *
 * @param endpoint S3 endpoint URL
 * @param region signing region
 * @param pathStyle path-style addressing
 */
public record DataAccess(String endpoint, String region, boolean pathStyle) {

  /** The pool's data store, or null when the data is in the Federation's store. */
  static DataAccess of(DataStorageSpec spec) {
    return spec == null
        ? null
        : new DataAccess(
            spec.getEndpoint(), spec.getRegion(), !Boolean.FALSE.equals(spec.getPathStyle()));
  }

  void addTo(ProgramArguments args) {
    args.add("data-endpoint", endpoint)
        .add("data-region", region)
        .add("data-path-style", pathStyle);
  }
}
