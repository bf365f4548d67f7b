package dev.flotilla.operator.reconciler;

import dev.flotilla.operator.api.v1alpha1.ClientPool;
import dev.flotilla.operator.api.v1alpha1.Federation;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The Federation, ClientPools and storage Secret used by the operator tests. */
final class FederationFixtures {

  private FederationFixtures() {}

  /** The {@code s3-creds} Secret holding the embedded S3 server's credentials. */
  static Secret secret(String ns) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("s3-creds")
        .withNamespace(ns)
        .endMetadata()
        .addToData("accessKey", base64(S3TestServer.ACCESS_KEY))
        .addToData("secretKey", base64(S3TestServer.SECRET_KEY))
        .build();
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  /** Four GPU clients of rank 4 (count + template) with scheduling constraints. */
  static ClientPool gpuPool(String ns) {
    return Serialization.unmarshal(
        """
        apiVersion: flotilla.dev/v1alpha1
        kind: ClientPool
        metadata: {name: gpu-pool, namespace: %s}
        spec:
          rank: 4
          clients: {count: 4, dataUriTemplate: "s3://data/client-{index}.jsonl"}
          resources:
            requests: {cpu: "2", memory: 8Gi}
            limits: {nvidia.com/gpu: "1", memory: 8Gi}
          nodeSelector: {accelerator: a100}
          tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
          runtimeClassName: nvidia
          priorityClassName: training
          env: [{name: NCCL_DEBUG, value: WARN}]
        """
            .formatted(ns),
        ClientPool.class);
  }

  /** Two listed CPU clients, rank 2 with a per-client rank 8. */
  static ClientPool edgePool(String ns) {
    return Serialization.unmarshal(
        """
        apiVersion: flotilla.dev/v1alpha1
        kind: ClientPool
        metadata: {name: edge-pool, namespace: %s}
        spec:
          rank: 2
          clients:
            list:
              - {id: edge-a, dataUri: "s3://data/edge-a.jsonl"}
              - {id: edge-b, dataUri: "s3://data/edge-b.jsonl", rank: 8}
          resources: {limits: {cpu: "1"}}
        """
            .formatted(ns),
        ClientPool.class);
  }

  /** A 5-of-N, minClients 3 FlexLoRA federation storing under {@code prefix} of {@code bucket}. */
  static Federation federation(
      String ns,
      String name,
      int rounds,
      String pools,
      String endpoint,
      String bucket,
      String prefix) {
    return Serialization.unmarshal(
        """
        apiVersion: flotilla.dev/v1alpha1
        kind: Federation
        metadata: {name: %s, namespace: %s}
        spec:
          baseModel: {uri: "s3://%s/models/all-minilm-l6-v2", architecture: BERT}
          task: {type: SEQUENCE_CLASSIFICATION, numLabels: 2}
          rounds: %d
          sampling: {clientsPerRound: 5, minClients: 3, seed: 7}
          roundTimeout: 5m
          aggregation: {strategy: FLEXLORA, globalRank: 8}
          lora: {alpha: 16, dropout: 0.05, targetModules: [query, value]}
          training: {epochs: 1, batchSize: 8}
          storage:
            endpoint: %s
            bucket: %s
            prefix: %s
            secretRef: {name: s3-creds}
          clientPools: {names: %s}
        """
            .formatted(name, ns, bucket, rounds, endpoint, bucket, prefix, pools),
        Federation.class);
  }
}
