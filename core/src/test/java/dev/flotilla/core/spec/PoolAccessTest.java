package dev.flotilla.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PoolAccessTest {

  @Test
  void namesAndLabelsSelectOnlyPoolsOfTheFederationsOwnNamespace() {
    ClientPoolSelector names = new ClientPoolSelector();
    names.setNames(List.of("wards"));
    assertThat(PoolAccess.selects("lab", names, "lab", "wards", Map.of())).contains("wards");
    assertThat(PoolAccess.selects("lab", names, "hospital-a", "wards", Map.of())).isEmpty();

    ClientPoolSelector labels = new ClientPoolSelector();
    labels.setMatchLabels(Map.of("team", "nlp"));
    assertThat(PoolAccess.selects("lab", labels, "lab", "p", Map.of("team", "nlp"))).contains("p");
    assertThat(PoolAccess.selects("lab", labels, "other", "p", Map.of("team", "nlp"))).isEmpty();
    assertThat(PoolAccess.selects("lab", labels, "lab", "p", Map.of("team", "cv"))).isEmpty();
  }

  @Test
  void refsSelectByNamespaceAndNameUnderANamespacedKey() {
    ClientPoolSelector refs = new ClientPoolSelector();
    refs.setRefs(List.of(new PoolReference("hospital-a", "wards")));
    Optional<String> key = PoolAccess.selects("lab", refs, "hospital-a", "wards", Map.of());
    assertThat(key).contains("hospital-a/wards");
    assertThat(PoolAccess.selects("lab", refs, "hospital-b", "wards", Map.of())).isEmpty();
    assertThat(PoolAccess.namespaceOf(key.get(), "lab")).isEqualTo("hospital-a");
    assertThat(PoolAccess.nameOf(key.get())).isEqualTo("wards");
    assertThat(PoolAccess.namespaceOf("wards", "lab")).isEqualTo("lab");
  }

  @Test
  void aPoolOfAnotherNamespaceMustAcceptTheFederation() {
    ClientPoolSpec pool = new ClientPoolSpec();
    assertThat(PoolAccess.grants(pool, "lab", "lab", "notes")).as("own namespace").isTrue();
    assertThat(PoolAccess.grants(pool, "hospital-a", "lab", "notes")).isFalse();

    pool.setAllowedFederations(List.of(new FederationGrant("lab", "notes")));
    assertThat(PoolAccess.grants(pool, "hospital-a", "lab", "notes")).isTrue();
    assertThat(PoolAccess.grants(pool, "hospital-a", "lab", "other")).isFalse();
    assertThat(PoolAccess.grants(pool, "hospital-a", "rogue", "notes")).isFalse();

    pool.setAllowedFederations(List.of(new FederationGrant("lab", null)));
    assertThat(PoolAccess.grants(pool, "hospital-a", "lab", "other")).isTrue();
    assertThat(PoolAccess.grants(pool, "hospital-a", "rogue", "other")).isFalse();

    assertThat(PoolAccess.notGranted("hospital-a", "wards", "rogue", "notes"))
        .contains("ClientPool hospital-a/wards does not accept Federation rogue/notes")
        .contains("spec.allowedFederations");
  }
}
