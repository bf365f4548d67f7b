package dev.flotilla.experiments;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The raw per-round results, one small CSV per run of a cell with a seed ({@link CellRun#key()})
 * and per data set baseline and seed, each written atomically once complete, so an interrupted
 * experiment resumes by skipping the runs whose file exists; and the settings they were run with
 * ({@value #SETTINGS}), against which a resumed run is checked.
 */
public final class ResultsStore {
  /** The CSV header. */
  public static final String HEADER = "round,accuracy,eval_loss,train_loss,steps,seconds";

  /** The file of the recorded settings. */
  public static final String SETTINGS = "settings.properties";

  private final Path dir;

  /** A store in {@code dir} (created on first write). */
  public ResultsStore(Path dir) {
    this.dir = dir;
  }

  /** The directory of the CSVs. */
  public Path dir() {
    return dir;
  }

  /** The stored rounds of {@code key}, if complete. */
  public Optional<List<CellRound>> read(String key) throws IOException {
    Path file = dir.resolve(key + ".csv");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(file);
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      throw new IOException(file + ": expected the header " + HEADER);
    }
    List<CellRound> rounds = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",", -1);
      if (f.length != 6) {
        throw new IOException(file + ":" + (i + 1) + ": expected 6 fields");
      }
      try {
        rounds.add(
            new CellRound(
                Integer.parseInt(f[0]),
                Double.parseDouble(f[1]),
                Double.parseDouble(f[2]),
                f[3].isEmpty() ? Double.NaN : Double.parseDouble(f[3]),
                Long.parseLong(f[4]),
                Double.parseDouble(f[5])));
      } catch (NumberFormatException e) {
        throw new IOException(file + ":" + (i + 1) + ": " + e.getMessage());
      }
    }
    return Optional.of(rounds);
  }

  /** Whether {@code key} has a result or a recorded failure (a resume skips it). */
  public boolean has(String key) {
    return Files.isRegularFile(dir.resolve(key + ".csv"))
        || Files.isRegularFile(dir.resolve(key + ".failed"));
  }

  /** The recorded settings, if a run recorded them. */
  public Optional<RecordedSettings> settings() throws IOException {
    Path file = dir.resolve(SETTINGS);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      p.load(in);
    }
    Map<String, String> values = new HashMap<>();
    p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
    try {
      return Optional.of(RecordedSettings.parse(values));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage());
    }
  }

  /**
   * Records {@code requested} if no settings are recorded yet; otherwise checks it against the
   * recorded settings and records the seeds it adds. Returns the settings now recorded.
   *
   * @throws SettingsMismatchException if a setting other than the seeds differs
   */
  public RecordedSettings record(RecordedSettings requested)
      throws IOException, SettingsMismatchException {
    Optional<RecordedSettings> recorded = settings();
    if (recorded.isPresent()) {
      List<String> differing = recorded.get().differences(requested);
      if (!differing.isEmpty()) {
        throw new SettingsMismatchException(
            "the results in "
                + dir
                + " were run with other settings: "
                + String.join(", ", differing)
                + ". Delete "
                + dir
                + "/ to start over with the new settings, or pass the recorded settings ("
                + dir.resolve(SETTINGS)
                + "); only seeds may be added.");
      }
    }
    RecordedSettings merged = recorded.map(r -> r.withSeeds(requested.seeds())).orElse(requested);
    StringBuilder sb =
        new StringBuilder(
            "# Settings of the results in this directory (flotilla experiments). A run with other"
                + " settings\n# refuses to start; only seeds may be added.\n");
    merged.properties().forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(SETTINGS), sb);
    return merged;
  }

  /** Why the cell {@code key} failed, if it did (recorded so that a resume skips it). */
  public Optional<String> failure(String key) throws IOException {
    Path file = dir.resolve(key + ".failed");
    return Files.isRegularFile(file)
        ? Optional.of(Files.readString(file).trim())
        : Optional.empty();
  }

  /** Records that the cell {@code key} failed with {@code reason}. */
  public void writeFailure(String key, String reason) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(key + ".failed"), reason + "\n");
  }

  /** Stores the rounds of {@code key}, replacing the file atomically. */
  public void write(String key, List<CellRound> rounds) throws IOException {
    Files.createDirectories(dir);
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (CellRound r : rounds) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%d,%.4f,%.4f,%s,%d,%.1f%n",
              r.round(),
              r.accuracy(),
              r.evalLoss(),
              Double.isNaN(r.trainLoss()) ? "" : String.format(Locale.ROOT, "%.4f", r.trainLoss()),
              r.steps(),
              r.seconds()));
    }
    Path tmp = dir.resolve(key + ".csv.tmp");
    Files.writeString(tmp, sb);
    Files.move(
        tmp,
        dir.resolve(key + ".csv"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }
}
