package dev.flotilla.local.container;

/** Kubernetes CPU quantities ({@code 2}, {@code 1.5}, {@code 500m}) in cores. */
final class CpuQuantity {
  private CpuQuantity() {}

  /** The cores {@code quantity} stands for. */
  static double cores(String quantity) {
    String q = quantity.strip();
    try {
      return q.endsWith("m")
          ? Double.parseDouble(q.substring(0, q.length() - 1)) / 1000
          : Double.parseDouble(q);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a CPU quantity: " + quantity, e);
    }
  }
}
