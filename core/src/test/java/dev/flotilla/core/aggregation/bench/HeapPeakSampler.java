package dev.flotilla.core.aggregation.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Samples used heap every millisecond and the process resident set size (heap, JIT, native tensors)
 * every few milliseconds on a daemon thread, keeping both peaks.
 */
final class HeapPeakSampler implements AutoCloseable {
  private static final Path STATM = Path.of("/proc/self/statm");
  private static final long PAGE = 4096;
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long peak;
  private volatile long peakRss;

  HeapPeakSampler() {
    peak = memory.getHeapMemoryUsage().getUsed();
    peakRss = rss();
    thread =
        new Thread(
            () -> {
              int tick = 0;
              while (running) {
                long used = memory.getHeapMemoryUsage().getUsed();
                if (used > peak) {
                  peak = used;
                }
                if (tick++ % 5 == 0) {
                  peakRss = Math.max(peakRss, rss());
                }
                try {
                  Thread.sleep(1);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-peak-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  long peakBytes() {
    return Math.max(peak, memory.getHeapMemoryUsage().getUsed());
  }

  /** Peak resident set size of the whole process while sampling (-1 without /proc). */
  long peakRssBytes() {
    return Math.max(peakRss, rss());
  }

  private static long rss() {
    try {
      String[] fields = Files.readString(STATM).trim().split("\\s+");
      return Long.parseLong(fields[1]) * PAGE;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join();
  }
}
