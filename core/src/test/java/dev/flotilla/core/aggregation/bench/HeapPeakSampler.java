package dev.flotilla.core.aggregation.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Samples used heap every millisecond on a daemon thread and keeps the peak. */
final class HeapPeakSampler implements AutoCloseable {
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long peak;

  HeapPeakSampler() {
    peak = memory.getHeapMemoryUsage().getUsed();
    thread =
        new Thread(
            () -> {
              while (running) {
                long used = memory.getHeapMemoryUsage().getUsed();
                if (used > peak) {
                  peak = used;
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

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join();
  }
}
