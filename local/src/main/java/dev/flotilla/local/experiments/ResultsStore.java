package dev.flotilla.local.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The raw per-round results, one small CSV per cell ({@code <id>.csv}) and per data set baseline
 * ({@code <dataset>-baseline.csv}), each written atomically once the cell is complete, so an
 * interrupted experiment resumes by skipping the cells whose file exists.
 */
public final class ResultsStore {
  /** The CSV header. */
  public static final String HEADER = "round,accuracy,eval_loss,train_loss,steps,seconds";

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
