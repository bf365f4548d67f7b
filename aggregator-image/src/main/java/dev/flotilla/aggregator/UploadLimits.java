package dev.flotilla.aggregator;

/**
 * Caps on the objects of one client's upload. Each is checked against the object's stated size
 * before a byte is read, and reads never go past that size, so no upload can make the aggregator
 * allocate more than the caps allow, whatever its contents declare.
 *
 * @param metricsBytes largest {@code metrics.json} (real ones are under 1 KiB)
 * @param configBytes largest {@code adapter_config.json} (real ones are 1–2 KiB)
 * @param headerBytes largest safetensors JSON header (about 130 bytes per tensor: 4 MiB is some
 *     30,000 tensors, ten times a LoRA on every linear layer of a 400B-parameter model)
 * @param weightsBytes largest {@code adapter_model.safetensors}
 */
record UploadLimits(int metricsBytes, int configBytes, long headerBytes, long weightsBytes) {
  /** The cap on {@code metrics.json}: 64 KiB. */
  static final int METRICS_BYTES = 64 << 10;

  /** The cap on {@code adapter_config.json}: 64 KiB. */
  static final int CONFIG_BYTES = 64 << 10;

  /** The cap on a safetensors header: 4 MiB. */
  static final long HEADER_BYTES = 4L << 20;

  /**
   * The caps of an aggregator whose heap is {@code maxHeapBytes}: weights files up to a quarter of
   * the heap. A file decodes to at most twice its size (F16/BF16 values widen to float32), so one
   * upload, honest or not, can occupy at most half the heap while it is screened.
   */
  static UploadLimits forHeap(long maxHeapBytes) {
    return new UploadLimits(METRICS_BYTES, CONFIG_BYTES, HEADER_BYTES, maxHeapBytes / 4);
  }

  /** The caps of this JVM ({@code -Xmx}). */
  static UploadLimits ofThisJvm() {
    return forHeap(Runtime.getRuntime().maxMemory());
  }
}
