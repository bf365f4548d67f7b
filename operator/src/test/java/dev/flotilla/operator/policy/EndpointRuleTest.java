package dev.flotilla.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Internal endpoints are refused unless listed; public ones pass unless the list is exclusive. */
class EndpointRuleTest {
  private final EndpointRule open = new EndpointRule(List.of(), true);

  @ParameterizedTest
  @CsvSource({
    "http://169.254.169.254/latest/meta-data, link-local",
    "http://[fe80::1]:9000, link-local",
    "http://[::ffff:169.254.169.254], link-local",
    "http://127.0.0.1:9000, loopback",
    "http://[::1]:9000, loopback",
    "http://localhost:9000, loopback",
    "http://api.localhost, loopback",
    "http://0.0.0.0:9000, unspecified",
    "http://10.96.0.1, private",
    "http://172.16.4.2, private",
    "http://192.168.1.10, private",
    "http://100.64.0.10, private",
    "http://[fd00::1], private",
    "http://minio:9000, single-label",
    "http://kubernetes.default.svc, cluster-internal",
    "http://minio.storage.svc.cluster.local:9000, cluster-internal",
    "http://minio.storage.svc.cluster.local.:9000, cluster-internal",
    "http://metadata.google.internal, cluster-internal",
    "http://127.1, numeric",
    "http://2130706433, numeric",
    "http://0x7f.0.0.1, numeric",
  })
  void refusesInternalEndpointsNamingTheFieldAndTheSetting(String endpoint, String what) {
    assertThat(open.refusal("spec.storage.endpoint", endpoint))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("spec.storage.endpoint", endpoint, what)
                    .contains("flotilla.policy.storage.allowed-endpoints"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"https://s3.eu-west-1.amazonaws.com", "https://8.8.8.8", "http://[2001:db8::1]"})
  void allowsPublicEndpoints(String endpoint) {
    assertThat(open.refusal("spec.storage.endpoint", endpoint)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://minio.storage.svc:9000",
        "http://s3.storage.svc.cluster.local",
        "http://10.20.1.5:9000",
        "http://[fd12:3456::5]"
      })
  void allowsListedNamesWildcardsAndCidrs(String endpoint) {
    EndpointRule listed =
        new EndpointRule(
            List.of(
                "minio.storage.svc", "*.storage.svc.cluster.local", "10.20.0.0/16", "fd12::/16"),
            false);
    assertThat(listed.refusal("spec.storage.endpoint", endpoint)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://10.21.0.1", "http://evil.storage.svc", "http://storage.svc"})
  void aListedEntryAllowsNothingBesideIt(String endpoint) {
    EndpointRule listed =
        new EndpointRule(List.of("minio.storage.svc", "*.storage.svc", "10.20.0.0/16"), true);
    assertThat(listed.refusal("spec.storage.endpoint", "http://10.21.0.1")).isPresent();
    assertThat(listed.refusal("spec.storage.endpoint", "http://storage.svc")).isPresent();
    assertThat(listed.refusal("spec.storage.endpoint", "http://a.storage.svc")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://s3.amazonaws.com", "https://8.8.8.8"})
  void anExclusiveListRefusesUnlistedPublicEndpoints(String endpoint) {
    EndpointRule exclusive = new EndpointRule(List.of("s3.eu-west-1.amazonaws.com"), false);
    assertThat(exclusive.refusal("spec.storage.endpoint", endpoint))
        .hasValueSatisfying(m -> assertThat(m).contains("allow-public-endpoints: false"));
  }
}
