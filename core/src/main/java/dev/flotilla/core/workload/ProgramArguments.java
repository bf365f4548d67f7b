package dev.flotilla.core.workload;

import java.util.ArrayList;
import java.util.List;

/** Builds a command line of {@code --option value} pairs, skipping absent values. */
final class ProgramArguments {
  private final List<String> args = new ArrayList<>();

  /** Adds {@code --name value} unless {@code value} is null. */
  ProgramArguments add(String name, Object value) {
    if (value != null) {
      args.add("--" + name);
      args.add(value.toString());
    }
    return this;
  }

  /** Adds {@code --name a,b,c} unless {@code values} is empty. */
  ProgramArguments addList(String name, List<?> values) {
    if (!values.isEmpty()) {
      add(name, String.join(",", values.stream().map(String::valueOf).toList()));
    }
    return this;
  }

  /** The arguments, in order. */
  List<String> toList() {
    return List.copyOf(args);
  }
}
