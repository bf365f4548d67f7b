package dev.flotilla.core.workload;

/**
 * Environment variables a workload reads. Credentials travel only here, never on the command line,
 * so they do not show in process listings or Job specs.
 */
public final class WorkloadEnvironment {
  /** The object store access key. */
  public static final String ACCESS_KEY = "FLOTILLA_S3_ACCESS_KEY";

  /** The object store secret key. */
  public static final String SECRET_KEY = "FLOTILLA_S3_SECRET_KEY";

  /** The pool's data store access key (its own Secret; only with a pool data store). */
  public static final String DATA_ACCESS_KEY = "FLOTILLA_DATA_ACCESS_KEY";

  /** The pool's data store secret key. */
  public static final String DATA_SECRET_KEY = "FLOTILLA_DATA_SECRET_KEY";

  /** DJL's cache of native libraries and models. */
  public static final String DJL_CACHE_DIR = "DJL_CACHE_DIR";

  /** DJL's engine cache (the PyTorch natives). */
  public static final String ENGINE_CACHE_DIR = "ENGINE_CACHE_DIR";

  /** OpenMP threads of the native kernels. */
  public static final String OMP_NUM_THREADS = "OMP_NUM_THREADS";

  private WorkloadEnvironment() {}
}
