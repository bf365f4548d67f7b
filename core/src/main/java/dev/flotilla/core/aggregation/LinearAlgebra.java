package dev.flotilla.core.aggregation;

import java.util.Locale;

/**
 * The process-wide choice of dense kernels for FlexLoRA: OpenBLAS (native BLAS + LAPACK: dgemm,
 * dsyrk, dsyevd, dpotrf, dtrsm) when its library loads, else the pure-Java kernels with EJML's
 * decompositions. Both compute in double precision; the choice changes speed, not the method.
 */
public final class LinearAlgebra {
  /** The kernels that run. */
  public enum Kernels {
    /** OpenBLAS through JavaCPP (needs the native library of this platform on the class path). */
    OPENBLAS,
    /** Pure-Java products and EJML decompositions (every platform). */
    JAVA
  }

  private static volatile Kernels active = automatic();

  private LinearAlgebra() {}

  /** The kernels in use. */
  public static Kernels active() {
    return active;
  }

  /**
   * Selects kernels by name: {@code auto} (OpenBLAS when it loads, else Java), {@code openblas} or
   * {@code java}.
   *
   * @throws IllegalArgumentException for another name, or {@code openblas} when it cannot load
   */
  public static Kernels select(String name) {
    String key = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
    Kernels chosen;
    switch (key) {
      case "auto":
        chosen = automatic();
        break;
      case "openblas":
        if (OpenBlas.loadFailure() != null) {
          throw new IllegalArgumentException(
              "linear algebra 'openblas' is not available here: " + OpenBlas.loadFailure());
        }
        chosen = Kernels.OPENBLAS;
        break;
      case "java":
        chosen = Kernels.JAVA;
        break;
      default:
        throw new IllegalArgumentException(
            "linear algebra must be auto, openblas or java, got '" + name + "'");
    }
    active = chosen;
    return chosen;
  }

  /** For logs and benchmark output, e.g. {@code openblas (2 threads)}. */
  public static String describe() {
    return active == Kernels.OPENBLAS
        ? "openblas (" + OpenBlas.threads() + " threads)"
        : "java"
            + (OpenBlas.loadFailure() == null
                ? ""
                : " (openblas unavailable: " + OpenBlas.loadFailure() + ")");
  }

  private static Kernels automatic() {
    return OpenBlas.loadFailure() == null ? Kernels.OPENBLAS : Kernels.JAVA;
  }

  static boolean nativeKernels() {
    return active == Kernels.OPENBLAS;
  }
}
