package dev.flotilla.local.check;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** What a check before training found: passed items, notes and problems, one line each. */
public final class CheckReport {
  private final List<String> lines = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  /** Records an item that passed. */
  void ok(String line) {
    lines.add("ok       " + line);
  }

  /** Records an item that was not checked, with why. */
  void note(String line) {
    lines.add("skipped  " + line);
  }

  /** Records a problem that would fail training. */
  void problem(String line) {
    problems.add(line);
    lines.add("PROBLEM  " + line);
  }

  /** Adds the lines and problems of {@code other}. */
  CheckReport add(CheckReport other) {
    lines.addAll(other.lines);
    problems.addAll(other.problems);
    return this;
  }

  /** The problems; empty when everything checked passed. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** Prints every line to {@code out}. */
  public void print(PrintStream out) {
    lines.forEach(out::println);
  }
}
