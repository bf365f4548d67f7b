package dev.flotilla.core.aggregation;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Every FlexLoRA test again on the pure-Java kernels (the path of platforms without OpenBLAS). */
class FlexLoraJavaKernelsTest extends FlexLoraStrategyTest {
  private static LinearAlgebra.Kernels before;

  @BeforeAll
  static void useJavaKernels() {
    before = LinearAlgebra.active();
    LinearAlgebra.select("java");
  }

  @AfterAll
  static void restore() {
    LinearAlgebra.select(before.name());
  }
}
