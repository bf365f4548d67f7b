package dev.flotilla.operator.workload;

import java.util.ArrayList;
import java.util.List;

/** Builds a workload command line of {@code --option value} pairs, skipping absent values. */
final class WorkloadArgs {

  private final List<String> args = new ArrayList<>();

  /** Adds {@code --name value} when {@code value} is not null. */
  WorkloadArgs add(String name, Object value) {
    if (value != null) {
      args.add("--" + name);
      args.add(value.toString());
    }
    return this;
  }

  /** Adds {@code --name a,b,c} when {@code values} is not null or empty. */
  WorkloadArgs addList(String name, List<String> values) {
    if (values != null && !values.isEmpty()) {
      add(name, String.join(",", values));
    }
    return this;
  }

  /** The arguments, in order. */
  List<String> toList() {
    return List.copyOf(args);
  }
}
