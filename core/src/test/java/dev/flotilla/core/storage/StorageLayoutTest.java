package dev.flotilla.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StorageLayoutTest {

  private final StorageLayout layout = new StorageLayout("bucket", "/runs/2026/", "sentiment");

  @Test
  void keysFollowTheFixedLayout() {
    assertThat(layout.root()).isEqualTo("runs/2026/sentiment/");
    assertThat(layout.clientAdapterPrefix(3, "hospital-a", 1))
        .isEqualTo("runs/2026/sentiment/rounds/0003/clients/hospital-a/attempt-1/");
    assertThat(layout.clientMetrics(3, "hospital-a", 2))
        .isEqualTo("runs/2026/sentiment/rounds/0003/clients/hospital-a/attempt-2/metrics.json");
    assertThatThrownBy(() -> layout.clientAdapterPrefix(3, "hospital-a", 0))
        .hasMessageContaining("attempt");
    assertThat(layout.planKey(12)).isEqualTo("runs/2026/sentiment/rounds/0012/plan.json");
    assertThat(layout.globalAdapterPrefix(1)).isEqualTo("runs/2026/sentiment/rounds/0001/global/");
    assertThat(layout.rankAdapterPrefix(1, 8))
        .isEqualTo("runs/2026/sentiment/rounds/0001/ranks/8/");
    assertThat(layout.manifestKey(10000))
        .isEqualTo("runs/2026/sentiment/rounds/10000/manifest.json");
  }

  @Test
  void startingAdapterComesFromTheBaseRoundOrIsFresh() {
    assertThat(layout.startingAdapterPrefix(0, 4)).isEmpty();
    assertThat(layout.startingAdapterPrefix(2, 4))
        .contains("runs/2026/sentiment/rounds/0002/ranks/4/");
  }

  @Test
  void emptyPrefixPutsTheFederationAtTheBucketRoot() {
    assertThat(new StorageLayout("b", "", "fed").planKey(1)).isEqualTo("fed/rounds/0001/plan.json");
    assertThat(new StorageLayout("b", null, "fed").root()).isEqualTo("fed/");
  }

  @Test
  void uriNamesTheBucket() {
    assertThat(layout.uri(layout.globalAdapterPrefix(2)).toString())
        .isEqualTo("s3://bucket/runs/2026/sentiment/rounds/0002/global/");
  }

  @Test
  void unsafeNamesAndRoundsAreRejected() {
    assertThatThrownBy(() -> layout.clientMetrics(1, "../etc", 1)).hasMessageContaining("clientId");
    assertThatThrownBy(() -> layout.clientMetrics(1, "a/b", 1)).hasMessageContaining("clientId");
    assertThatThrownBy(() -> layout.planKey(0)).hasMessageContaining("round");
    assertThatThrownBy(() -> layout.rankAdapterPrefix(1, 0)).hasMessageContaining("rank");
    assertThatThrownBy(() -> new StorageLayout("b", "p", "a/b")).hasMessageContaining("federation");
  }
}
