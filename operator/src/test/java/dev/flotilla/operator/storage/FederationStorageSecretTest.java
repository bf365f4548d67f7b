package dev.flotilla.operator.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flotilla.operator.api.v1alpha1.Federation;
import dev.flotilla.operator.config.OperatorConfig;
import dev.flotilla.operator.reconciler.InvalidSpecException;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The operator reads the default storage Secret in the Federation's namespace only. */
@EnableKubernetesMockClient(crud = true, https = false)
class FederationStorageSecretTest {

  static KubernetesClient client;

  @AfterEach
  void deleteSecrets() {
    client.secrets().inAnyNamespace().delete();
  }

  @Test
  void missingDefaultSecretIsReportedWithItsSetting() {
    InvalidSpecException e = open(federation(""), Optional.of("team-s3"));

    assertThat(e.reason()).isEqualTo("StorageSecretInvalid");
    assertThat(e.getMessage())
        .contains("team-a/team-s3", "flotilla.storage.default-secret-name", "not found");
  }

  @Test
  void defaultSecretOfAnotherNamespaceIsNotUsed() {
    secret("flotilla-system", "team-s3", Map.of("user", "u", "secretKey", "s"));

    assertThat(open(federation(""), Optional.of("team-s3")).getMessage())
        .contains("team-a/team-s3", "not found");
  }

  @Test
  void missingKeyOfTheDefaultSecretNamesTheKeySetting() {
    secret("team-a", "team-s3", Map.of("secretKey", "s"));

    assertThat(open(federation(""), Optional.of("team-s3")).getMessage())
        .contains("no key 'user'", "flotilla.storage.default-secret-access-key-key");
  }

  @Test
  void defaultSecretInTheFederationsNamespaceIsRead() {
    secret("team-a", "team-s3", Map.of("user", "u", "secretKey", "s"));

    // The credentials are read; only the (unreachable) object store fails.
    InvalidSpecException e = open(federation(""), Optional.of("team-s3"));
    assertThat(e.reason()).isEqualTo("StorageUnavailable");
  }

  @Test
  void federationsOwnSecretRefWinsOverTheDefault() {
    secret("team-a", "team-s3", Map.of("user", "u", "secretKey", "s"));

    InvalidSpecException e = open(federation("secretRef: {name: own-s3}"), Optional.of("team-s3"));
    assertThat(e.getMessage()).contains("team-a/own-s3", "spec.storage.secretRef.name");
  }

  private static InvalidSpecException open(Federation federation, Optional<String> defaultSecret) {
    FederationStorage storage = new FederationStorage(client, config(defaultSecret));
    try {
      return catchThrowableOfType(InvalidSpecException.class, () -> storage.open(federation));
    } finally {
      storage.close();
    }
  }

  private static void secret(String namespace, String name, Map<String, String> data) {
    client
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .withStringData(data)
                .build())
        .create();
  }

  private static Federation federation(String secretRef) {
    return Serialization.unmarshal(
        """
        apiVersion: flotilla.dev/v1alpha1
        kind: Federation
        metadata: {name: demo, namespace: team-a}
        spec:
          baseModel: {uri: "s3://models/bert", architecture: BERT}
          task: {type: SEQUENCE_CLASSIFICATION, numLabels: 2}
          rounds: 1
          sampling: {clientsPerRound: 1, minClients: 1}
          storage: {endpoint: "http://127.0.0.1:9", bucket: flotilla, %s}
          clientPools: {names: [pool]}
        """
            .formatted(secretRef),
        Federation.class);
  }

  private static OperatorConfig config(Optional<String> defaultSecret) {
    OperatorConfig.Storage storage =
        new OperatorConfig.Storage() {
          @Override
          public Optional<String> defaultEndpoint() {
            return Optional.empty();
          }

          @Override
          public Optional<String> defaultSecretName() {
            return defaultSecret;
          }

          @Override
          public String defaultSecretAccessKeyKey() {
            return "user";
          }

          @Override
          public String defaultSecretSecretKeyKey() {
            return "secretKey";
          }
        };
    return new OperatorConfig() {
      @Override
      public Jobs jobs() {
        throw new UnsupportedOperationException();
      }

      @Override
      public LeaderElection leaderElection() {
        throw new UnsupportedOperationException();
      }

      @Override
      public Storage storage() {
        return storage;
      }

      @Override
      public Images images() {
        throw new UnsupportedOperationException();
      }

      @Override
      public Limits limits() {
        return new Limits() {
          @Override
          public int maxJobsPerFederation() {
            return 256;
          }

          @Override
          public Duration storageConnectTimeout() {
            return Duration.ofSeconds(3);
          }

          @Override
          public Duration storageReadTimeout() {
            return Duration.ofSeconds(5);
          }
        };
      }

      @Override
      public Sizing sizing() {
        throw new UnsupportedOperationException();
      }
    };
  }
}
