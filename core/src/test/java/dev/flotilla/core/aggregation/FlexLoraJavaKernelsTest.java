package dev.flotilla.core.aggregation;

/** Every FlexLoRA test again on the pure-Java kernels (the path of platforms without OpenBLAS). */
class FlexLoraJavaKernelsTest extends FlexLoraStrategyTest {
  @Override
  DenseKernels kernels() {
    return DenseKernels.forName("java");
  }
}
