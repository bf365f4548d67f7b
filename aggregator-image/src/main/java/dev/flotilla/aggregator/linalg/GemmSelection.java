package dev.flotilla.aggregator.linalg;

import dev.flotilla.core.aggregation.GemmBackends;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The aggregator's {@code --gemm} choice, installed for one run: {@code java} (the pure-Java
 * kernel) or {@code pytorch} ({@link TorchGemm}, float64, every processor). Closing restores the
 * pure-Java kernel and releases PyTorch's memory.
 */
public final class GemmSelection implements AutoCloseable {
  private final TorchGemm torch;

  private GemmSelection(TorchGemm torch) {
    this.torch = torch;
  }

  /**
   * Installs the backend named {@code name}.
   *
   * @throws IllegalArgumentException for an unknown name (the message names {@code --gemm})
   */
  public static GemmSelection install(String name) {
    String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    switch (key) {
      case "java":
        GemmBackends.reset();
        return new GemmSelection(null);
      case "pytorch":
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "flotilla", "djl");
        TorchGemm torch = TorchGemm.open(Runtime.getRuntime().availableProcessors(), cache);
        GemmBackends.install(torch);
        return new GemmSelection(torch);
      default:
        throw new IllegalArgumentException("--gemm must be java or pytorch, got '" + name + "'");
    }
  }

  @Override
  public void close() {
    GemmBackends.reset();
    if (torch != null) {
      torch.close();
    }
  }
}
