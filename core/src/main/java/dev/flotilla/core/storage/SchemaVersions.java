package dev.flotilla.core.storage;

/** Checks the {@code schemaVersion} of stored documents. */
final class SchemaVersions {

  private SchemaVersions() {}

  /** Throws naming the document when {@code version} is not in {@code 1..supported}. */
  static void check(String document, int version, int supported) {
    if (version < 1 || version > supported) {
      throw new IllegalArgumentException(
          document
              + " schemaVersion "
              + version
              + " is not supported (this build reads 1.."
              + supported
              + ")");
    }
  }

  /** Throws {@code document: field is required} when {@code value} is null. */
  static <T> T required(String document, String field, T value) {
    if (value == null) {
      throw new IllegalArgumentException(document + ": " + field + " is required");
    }
    return value;
  }
}
