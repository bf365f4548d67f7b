package dev.flotilla.core.aggregation;

/**
 * Matrices held in native memory for the OpenBLAS products until closed (package-private): the
 * owner of reused operands opens it with {@link DenseKernels#pin} in a try-with-resources block or
 * closes it from its own {@link AutoCloseable#close}.
 */
@FunctionalInterface
interface Pinned extends AutoCloseable {
  /** Nothing held: the Java kernels read the arrays. */
  Pinned NOTHING = () -> {};

  /** Frees the native copies; the products read the arrays again. */
  @Override
  void close();
}
