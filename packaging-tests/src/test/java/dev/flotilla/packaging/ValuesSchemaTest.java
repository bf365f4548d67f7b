package dev.flotilla.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Wrong chart values fail at install time with a message naming the field. */
class ValuesSchemaTest {

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "replicaCount|two|/replicaCount",
        "replicaCount|9|/replicaCount",
        "image.pullPolicy|Sometimes|/image/pullPolicy",
        "image.digest|sha256:abc|/image/digest",
        "trainer.image.tag|bad tag|/trainer/image/tag",
        "trainer.image.pullPolicy|Always|additional properties 'pullPolicy' not allowed",
        "aggregator.image.repository|Upper/Case|/aggregator/image/repository",
        "watchNamespaces[0]|Team_A|/watchNamespaces/0",
        "logLevel|VERBOSE|/logLevel",
        "metrics.port|80|/metrics/port",
        "metrics.serviceMonitor.interval|often|/metrics/serviceMonitor/interval",
        "resources.limits.memory|lots|/resources/limits/memory",
        "storage.defaultEndpoint|minio:9000|/storage/defaultEndpoint",
        "storage.defaultSecret.name|Team_S3|/storage/defaultSecret/name",
        "storage.defaultSecret.accessKeyKey|access key|/storage/defaultSecret/accessKeyKey",
        "storage.defaultSecret.namespace|team-a|additional properties 'namespace' not allowed",
        "jobs.createParallelism|0|/jobs/createParallelism",
        "jobs.cacheSizeLimit|big|/jobs/cacheSizeLimit",
        "tolerations[0].operator|Maybe|/tolerations/0/operator",
        "networkPolicy.apiServerCidrs[0]|10.0.0.1|/networkPolicy/apiServerCidrs/0",
        "unknownKey|1|additional properties 'unknownKey' not allowed",
        "leaderElection.enabled|false|additional properties 'enabled' not allowed",
      })
  void rejectsWrongValuesNamingTheField(String key, String value, String expected) {
    ProcessResult install = Helm.template(List.of(), Map.of(key, value));

    assertThat(install.exitCode()).as(install.describe()).isNotZero();
    assertThat(install.stderr())
        .contains("values don't meet the specifications of the schema")
        .contains(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "networkPolicy.enabled=true|networkPolicy.apiServerCidrs: list the Kubernetes API server",
        "metrics.serviceMonitor.enabled=true,metrics.service.enabled=false|needs metrics.service.enabled",
        "metrics.serviceMonitor.enabled=true,metrics.podMonitor.enabled=true|enable one",
      })
  void rejectsInconsistentCombinations(String sets, String expected) {
    ProcessResult install = Helm.template(List.of(), List.of(sets));

    assertThat(install.exitCode()).as(install.describe()).isNotZero();
    assertThat(install.stderr()).contains(expected);
  }
}
