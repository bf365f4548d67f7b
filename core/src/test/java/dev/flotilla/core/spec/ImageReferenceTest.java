package dev.flotilla.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "trainer",
        "flotilla-trainer:0.1.0",
        "ghcr.io/flotilla-dev/flotilla-trainer-cuda:0.1.0",
        "localhost:5000/ml/trainer",
        "registry.example.com:443/team/sub_team/trainer__x:v1.2.3-rc.1",
        "Registry.Example.com/trainer:Latest",
        "ghcr.io/flotilla-dev/flotilla-trainer@sha256:"
            + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "ghcr.io/flotilla-dev/flotilla-trainer:0.1.0@sha256:"
            + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
      })
  void acceptsImageReferences(String image) {
    assertThat(ImageReference.isValid(image)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "ghcr.io/Flotilla/trainer",
        "trainer:",
        "trainer:-bad",
        "trainer image",
        "https://ghcr.io/trainer",
        "ghcr.io//trainer",
        "trainer@sha256:abc",
        "trainer:"
            + "a123456789012345678901234567890123456789012345678901234567890123"
            + "456789012345678901234567890123456789012345678901234567890123456789"
      })
  void rejectsMalformedReferences(String image) {
    assertThat(ImageReference.isValid(image)).isFalse();
  }
}
