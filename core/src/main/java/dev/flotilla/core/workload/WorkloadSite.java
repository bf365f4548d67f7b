package dev.flotilla.core.workload;

/**
 * Where one workload runs, as its runtime sees it: the only inputs of an invocation that differ
 * between a cluster and the local runtime.
 *
 * @param storageEndpoint the object store URL as the workload reaches it
 * @param pathStyle whether it uses path-style addressing
 * @param threads PyTorch intra-op threads; 0: every core the workload has
 * @param cacheDir cache of models and engine natives
 * @param workDir the workload's scratch directory
 * @param grantFile where the runtime puts the workload's storage grant; null: the workload uses
 *     storage credentials from its environment (a manual run)
 */
public record WorkloadSite(
    String storageEndpoint,
    boolean pathStyle,
    int threads,
    String cacheDir,
    String workDir,
    String grantFile) {}
