package dev.flotilla.images;

import java.nio.file.Path;

/** The repository checkout the tests run in. */
final class Repo {
  private Repo() {}

  /** The repository root (system property {@code flotilla.repo.root}, else the parent dir). */
  static Path root() {
    return Path.of(System.getProperty("flotilla.repo.root", "..")).toAbsolutePath().normalize();
  }
}
