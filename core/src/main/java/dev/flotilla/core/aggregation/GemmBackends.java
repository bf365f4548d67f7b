package dev.flotilla.core.aggregation;

import java.util.Objects;

/**
 * The process-wide choice of {@link GemmBackend} for FlexLoRA's large products. The default is the
 * pure-Java kernel; a faster native backend (the aggregator image installs PyTorch's) takes every
 * product of at least {@link #OFFLOAD_FLOPS} floating-point operations, smaller ones stay in Java.
 */
public final class GemmBackends {
  /** Products below this many flops (2·m·n·p) always run in the Java kernel. */
  public static final double OFFLOAD_FLOPS = 5e7;

  private static final GemmBackend PURE_JAVA = new JavaGemm();
  private static volatile GemmBackend installed = PURE_JAVA;

  private GemmBackends() {}

  /** The pure-Java kernel (cache-blocked, multi-threaded on the common fork-join pool). */
  public static GemmBackend pureJava() {
    return PURE_JAVA;
  }

  /** Routes large products to {@code backend} from now on. */
  public static void install(GemmBackend backend) {
    installed = Objects.requireNonNull(backend, "backend");
  }

  /** The backend large products currently use. */
  public static GemmBackend installed() {
    return installed;
  }

  /** Restores the pure-Java kernel. */
  public static void reset() {
    installed = PURE_JAVA;
  }
}
