package dev.flotilla.aggregator;

import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.storage.ClientMetrics;

/**
 * A client's complete, parsed upload for a round.
 *
 * @param clientId the client
 * @param plannedRank the rank the round plan assigned to it
 * @param metrics its {@code metrics.json}
 * @param adapter its adapter, named with the federation's base model and task type
 * @param modelSha256 SHA-256 (hex) of its {@code adapter_model.safetensors}
 * @param configSha256 SHA-256 (hex) of its {@code adapter_config.json}
 */
public record ClientUpload(
    String clientId,
    int plannedRank,
    ClientMetrics metrics,
    LoraAdapter adapter,
    String modelSha256,
    String configSha256) {}
