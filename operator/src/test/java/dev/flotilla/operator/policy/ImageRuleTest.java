package dev.flotilla.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Images are allowed only under a configured prefix, at a path boundary, digests if required. */
class ImageRuleTest {
  private static final String DEFAULT = "ghcr.io/flotilla-dev/flotilla-trainer:0.1.0";

  private final ImageRule rule =
      new ImageRule(List.of("registry.example.com/ml/", "ghcr.io/acme"), false, Set.of(DEFAULT));

  @Test
  void allowsImagesUnderAPrefixAndTheOperatorsDefaults() {
    assertThat(rule.refusal("spec.image", "registry.example.com/ml/trainer:1")).isEmpty();
    assertThat(rule.refusal("spec.image", "ghcr.io/acme/trainer@sha256:" + "a".repeat(64)))
        .isEmpty();
    assertThat(rule.refusal("spec.image", DEFAULT)).isEmpty();
    assertThat(rule.refusal("spec.image", null)).isEmpty();
  }

  @Test
  void refusesOtherRegistriesNamingTheFieldAndTheSetting() {
    assertThat(rule.refusal("spec.images.aggregator", "docker.io/evil/aggregator:1"))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("spec.images.aggregator", "docker.io/evil/aggregator:1")
                    .contains("flotilla.policy.images.allowed-prefixes")
                    .contains("registry.example.com/ml/"));
    // Another tag of the default repository is not the default image.
    assertThat(rule.refusal("spec.image", "ghcr.io/flotilla-dev/flotilla-trainer:latest"))
        .isPresent();
  }

  @Test
  void prefixesMatchOnlyAtAPathBoundary() {
    assertThat(rule.refusal("spec.image", "ghcr.io/acme-evil/trainer:1")).isPresent();
    assertThat(rule.refusal("spec.image", "registry.example.com/mlx/trainer:1")).isPresent();
    assertThat(rule.refusal("spec.image", "ghcr.io/acme:1")).isEmpty();
  }

  @Test
  void dockerHubShortNamesAreComparedInFull() {
    ImageRule hub = new ImageRule(List.of("docker.io/library/"), false, Set.of());
    assertThat(hub.refusal("spec.image", "busybox:1.36")).isEmpty();
    assertThat(hub.refusal("spec.image", "evil/busybox:1.36")).isPresent();
    assertThat(rule.refusal("spec.image", "registry.example.com")).isPresent();
  }

  @Test
  void requiresADigestWhenConfigured() {
    ImageRule pinned = new ImageRule(List.of("*"), true, Set.of());
    assertThat(pinned.refusal("spec.image", "any.example/x:1"))
        .hasValueSatisfying(m -> assertThat(m).contains("require-digest"));
    assertThat(pinned.refusal("spec.image", "any.example/x@sha256:" + "0".repeat(64))).isEmpty();
  }

  @Test
  void withoutPrefixesOnlyTheDefaultsPass() {
    ImageRule none = new ImageRule(List.of(), false, Set.of(DEFAULT));
    assertThat(none.refusal("spec.image", DEFAULT)).isEmpty();
    assertThat(none.refusal("spec.image", "ghcr.io/flotilla-dev/flotilla-trainer-cuda:0.1.0"))
        .isPresent();
  }
}
