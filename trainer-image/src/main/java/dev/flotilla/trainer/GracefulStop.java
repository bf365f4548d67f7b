package dev.flotilla.trainer;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stops a trainer cleanly on SIGTERM (Kubernetes) or SIGINT (Ctrl-C). The JVM answers a signal by
 * running its shutdown hooks and then exiting, and exiting runs libtorch's static destructors: a
 * main thread still inside libtorch (a backward pass) then crashes in {@code
 * at::accelerator::getAccelerator} and writes an {@code hs_err_pid*.log}. This class's shutdown
 * hook asks training to stop at the next step boundary and holds the exit until the main thread has
 * left native code and closed its tensors ({@link #release}), at most {@code patience}; the JVM
 * then exits with 128 + the signal number, which the workload contract treats as retriable.
 */
final class GracefulStop {
  private final CountDownLatch released = new CountDownLatch(1);
  private final Duration patience;
  private volatile boolean requested;

  private GracefulStop(Duration patience) {
    this.patience = patience;
  }

  /** Installs the shutdown hook; the caller must {@link #release} once its native work is over. */
  static GracefulStop install(Duration patience) {
    GracefulStop stop = new GracefulStop(patience);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::holdExit, "flotilla-graceful-stop"));
    return stop;
  }

  /** Throws {@link StopRequested} when a signal asked the trainer to stop; call between steps. */
  void check() {
    if (requested) {
      throw new StopRequested();
    }
  }

  /** The main thread is out of native code for good: the JVM may exit. */
  void release() {
    released.countDown();
  }

  private void holdExit() {
    if (released.getCount() == 0) {
      return; // a normal exit: the main thread is done
    }
    System.err.println("flotilla-trainer: stopping at the next training step (signal received)");
    requested = true;
    try {
      if (!released.await(patience.toMillis(), TimeUnit.MILLISECONDS)) {
        System.err.println(
            "flotilla-trainer: training did not reach a step boundary within "
                + patience
                + "; exiting with SIGKILL rather than racing libtorch");
        killSelf();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGKILL to this process: no exit handlers run, so none can race the main thread. */
  private static void killSelf() throws InterruptedException {
    try {
      new ProcessBuilder("/bin/sh", "-c", "kill -9 " + ProcessHandle.current().pid())
          .inheritIO()
          .start()
          .waitFor();
      Thread.sleep(5_000);
    } catch (IOException e) {
      System.err.println("flotilla-trainer: cannot send SIGKILL: " + e.getMessage());
    }
  }

  /** Thrown at a step boundary after a stop was requested. */
  static final class StopRequested extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StopRequested() {
      super("stopped by a signal before the upload; the round can run again");
    }
  }
}
