package dev.flotilla.core.adapter;

import java.util.List;

/** An adapter that does not meet a federation's expectations; lists every problem found. */
public final class AdapterValidationException extends AdapterFormatException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /**
   * Creates the exception.
   *
   * @param file the adapter's file or object key
   * @param problems each problem, naming its tensor or field (at least one)
   */
  public AdapterValidationException(String file, List<String> problems) {
    super(
        file,
        null,
        null,
        problems.size() == 1
            ? problems.get(0)
            : problems.size() + " problems: " + String.join("; ", problems),
        null);
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, each naming its tensor or field. */
  public List<String> problems() {
    return problems;
  }
}
