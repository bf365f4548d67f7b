package dev.flotilla.aggregator.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.core.aggregation.GemmBackends;
import org.junit.jupiter.api.Test;

class GemmSelectionTest {
  @Test
  void pytorchIsInstalledForTheRunAndJavaRestoredOnClose() {
    try (GemmSelection selection = GemmSelection.install("PyTorch")) {
      assertThat(GemmBackends.installed().name()).isEqualTo("pytorch-float64");
    }
    assertThat(GemmBackends.installed()).isSameAs(GemmBackends.pureJava());
    try (GemmSelection selection = GemmSelection.install("java")) {
      assertThat(GemmBackends.installed()).isSameAs(GemmBackends.pureJava());
    }
  }

  @Test
  void unknownNamesAreRejectedNamingTheOption() {
    assertThatThrownBy(() -> GemmSelection.install("mkl"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--gemm")
        .hasMessageContaining("mkl");
  }
}
