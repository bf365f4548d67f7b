package dev.flotilla.core.workload;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a trainer or aggregator container runs, the same in the operator's Jobs and in the local
 * container runtime: a read-only root with writable volumes on {@link #TMP_PATH} and {@link
 * #CACHE_PATH} only, the attempt's storage grant mounted read-only at {@link #GRANT_FILE_PATH} (the
 * only way the workload reaches the Federation's store: no storage credential is ever in its
 * environment), the {@link #environment} pointing the programs at the volumes, and the restricted
 * {@link #SECURITY} settings.
 */
public final class WorkloadContainer {
  /** Mount path of the writable scratch volume. */
  public static final String TMP_PATH = "/tmp";

  /** Mount path of the model, data and native-library cache volume. */
  public static final String CACHE_PATH = "/cache";

  /** Read-only mount path of the attempt's storage grant (a Secret owned by the Job). */
  public static final String GRANT_PATH = "/var/run/flotilla/grant";

  /** File of the grant inside the mount (and the key in the Job's grant Secret). */
  public static final String GRANT_FILE = "grant.json";

  /** The grant file as the programs open it ({@code --grant}). */
  public static final String GRANT_FILE_PATH = GRANT_PATH + "/" + GRANT_FILE;

  /** The restricted security settings of every workload container. */
  public static final Security SECURITY =
      new Security(true, true, false, false, List.of("ALL"), Security.RUNTIME_DEFAULT);

  /**
   * A container's security settings, as a Kubernetes security context states them.
   *
   * @param runAsNonRoot the container must not run as UID 0 (the image's user is checked)
   * @param readOnlyRootFilesystem nothing but the volumes is writable
   * @param allowPrivilegeEscalation whether a process may gain privileges (setuid binaries)
   * @param privileged whether the container is privileged
   * @param dropCapabilities Linux capabilities removed ({@code ALL}: every one)
   * @param seccompProfile seccomp profile type ({@link #RUNTIME_DEFAULT}: the runtime's default)
   */
  public record Security(
      boolean runAsNonRoot,
      boolean readOnlyRootFilesystem,
      boolean allowPrivilegeEscalation,
      boolean privileged,
      List<String> dropCapabilities,
      String seccompProfile) {

    /** The container runtime's default seccomp profile. */
    public static final String RUNTIME_DEFAULT = "RuntimeDefault";

    /** Copies the list. */
    public Security {
      dropCapabilities = List.copyOf(dropCapabilities);
    }
  }

  private WorkloadContainer() {}

  /**
   * Where a workload container runs: every core it is given, its scratch and cache volumes, the
   * grant mounted at {@link #GRANT_FILE_PATH}.
   */
  public static WorkloadSite site(String storageEndpoint, boolean pathStyle) {
    return new WorkloadSite(
        storageEndpoint, pathStyle, 0, CACHE_PATH, TMP_PATH + "/work", GRANT_FILE_PATH);
  }

  /**
   * The environment every workload container gets, in order; it holds no storage credential (a
   * pool's own data credential is added by the runtime that knows the pool's Secret).
   */
  public static Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HOME", TMP_PATH);
    env.put(WorkloadEnvironment.DJL_CACHE_DIR, CACHE_PATH + "/djl");
    env.put(WorkloadEnvironment.ENGINE_CACHE_DIR, CACHE_PATH + "/djl");
    return env;
  }
}
