package dev.flotilla.local.run;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.flotilla.core.protocol.Workload;
import dev.flotilla.core.workload.RetryPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The persisted set of local workloads ({@code workloads.json}), rewritten atomically on every
 * change so an interrupted run knows which workloads finished and how.
 */
public final class WorkloadTable {
  private final Path file;
  private final Map<String, WorkloadRecord> records = new LinkedHashMap<>();

  private WorkloadTable(Path file) {
    this.file = file;
  }

  /** Loads {@code file} (an empty table when it does not exist). */
  public static WorkloadTable load(Path file) throws IOException {
    WorkloadTable table = new WorkloadTable(file);
    if (Files.exists(file)) {
      List<WorkloadRecord> list;
      try {
        list = JsonFiles.MAPPER.readValue(file.toFile(), new TypeReference<>() {});
      } catch (IOException e) {
        throw new IOException(file + " is not a valid workload table: " + e.getMessage(), e);
      }
      list.forEach(r -> table.records.put(r.name(), r));
    }
    return table;
  }

  /** The record named {@code name}. */
  public Optional<WorkloadRecord> get(String name) {
    return Optional.ofNullable(records.get(name));
  }

  /** All records, in creation order. */
  public Collection<WorkloadRecord> all() {
    return List.copyOf(records.values());
  }

  /** The protocol's view of every workload. */
  public List<Workload> observed() {
    List<Workload> workloads = new ArrayList<>();
    records.values().forEach(r -> workloads.add(r.toWorkload()));
    return workloads;
  }

  /** Adds or replaces {@code record} and persists the table. */
  public void put(WorkloadRecord record) throws IOException {
    records.put(record.name(), record);
    save();
  }

  /** Removes {@code name} (if present) and persists the table. */
  public void remove(String name) throws IOException {
    if (records.remove(name) != null) {
      save();
    }
  }

  /** Records of workloads that had not finished (pending or running). */
  public List<WorkloadRecord> unfinished() {
    return records.values().stream().filter(r -> r.state().isActive()).toList();
  }

  /** Marks {@code name} running as process {@code pid}. */
  public void started(String name, long pid) throws IOException {
    WorkloadRecord r = records.get(name);
    if (r != null) {
      put(r.started(pid));
    }
  }

  /**
   * Records that {@code name}'s process exited with {@code exitCode}, as {@code policy} judges it.
   *
   * @return the updated record (PENDING when the policy runs it again), empty if unknown
   */
  public Optional<WorkloadRecord> exited(String name, int exitCode, RetryPolicy policy)
      throws IOException {
    WorkloadRecord r = records.get(name);
    if (r == null) {
      return Optional.empty();
    }
    WorkloadRecord updated = r.exited(exitCode, policy);
    put(updated);
    return Optional.of(updated);
  }

  private void save() throws IOException {
    JsonFiles.write(file, List.copyOf(records.values()));
  }
}
