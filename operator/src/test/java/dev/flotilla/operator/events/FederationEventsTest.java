package dev.flotilla.operator.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.operator.api.v1alpha1.Federation;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class FederationEventsTest {

  @Test
  void onceNamesAreDeterministicPerResourceUidAndKey() {
    Federation a = federation("fed", "uid-1");
    String name = FederationEvents.onceName(a, "ClientFailed/fed-r2-edge-a");
    assertThat(FederationEvents.onceName(federation("fed", "uid-1"), "ClientFailed/fed-r2-edge-a"))
        .isEqualTo(name);
    assertThat(name).matches("fed\\.[0-9a-f]{16}");
    assertThat(FederationEvents.onceName(a, "ClientFailed/fed-r2-edge-b")).isNotEqualTo(name);
    // A Federation deleted and created again under the same name gets its own events.
    assertThat(FederationEvents.onceName(federation("fed", "uid-2"), "ClientFailed/fed-r2-edge-a"))
        .isNotEqualTo(name);
  }

  private static Federation federation(String name, String uid) {
    Federation federation = new Federation();
    federation.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace("ns").withUid(uid).build());
    return federation;
  }
}
