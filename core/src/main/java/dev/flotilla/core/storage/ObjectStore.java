package dev.flotilla.core.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A flat key/value object store (one bucket): S3 in production, memory in tests. Keys use {@code /}
 * as separator and never start with one. A put is atomic: readers see the old object, the new one,
 * or none, never a partial one.
 */
public interface ObjectStore {

  /** Stores {@code bytes} under {@code key}, replacing any previous object. */
  void put(String key, byte[] bytes) throws IOException;

  /**
   * Stores {@code bytes} under {@code key} only if no object has that key (an S3 conditional write,
   * {@code If-None-Match: *}: MinIO, AWS S3 and s3proxy evaluate it atomically).
   *
   * @return true when this call created the object, false when one existed
   */
  boolean putIfAbsent(String key, byte[] bytes) throws IOException;

  /** Stores the content of {@code file} under {@code key}. */
  void put(String key, Path file) throws IOException;

  /** Stores exactly {@code length} bytes read from {@code in} under {@code key}. */
  void put(String key, InputStream in, long length) throws IOException;

  /**
   * Opens the object for reading; the caller closes the stream.
   *
   * @throws NoSuchObjectException when no object has this key
   */
  InputStream get(String key) throws IOException;

  /**
   * Reads the whole object into memory.
   *
   * @throws NoSuchObjectException when no object has this key
   */
  default byte[] getBytes(String key) throws IOException {
    try (InputStream in = get(key)) {
      return in.readAllBytes();
    }
  }

  /**
   * Downloads the object to {@code target} (parent directories are created; an existing file is
   * replaced).
   *
   * @throws NoSuchObjectException when no object has this key
   */
  void getToFile(String key, Path target) throws IOException;

  /**
   * The object's size in bytes, without reading it (S3: a HEAD request), so that a reader can
   * refuse an object too large for it before downloading a byte.
   *
   * @throws NoSuchObjectException when no object has this key
   */
  long size(String key) throws IOException;

  /** Whether an object has this exact key. */
  boolean exists(String key) throws IOException;

  /** All keys starting with {@code prefix} (recursively), in lexicographic order. */
  List<String> list(String prefix) throws IOException;

  /**
   * The names of the immediate "directories" below {@code prefix} (which ends with {@code /}): each
   * distinct next path segment of a key under it, without the slash, in lexicographic order. S3
   * answers this with one delimited listing ({@code delimiter=/}) of one entry per directory,
   * however many objects each holds.
   */
  default List<String> listDirectories(String prefix) throws IOException {
    return list(prefix).stream()
        .map(key -> key.substring(prefix.length()))
        .filter(rest -> rest.indexOf('/') > 0)
        .map(rest -> rest.substring(0, rest.indexOf('/')))
        .distinct()
        .sorted()
        .toList();
  }

  /** Deletes the object; deleting a missing key is not an error. */
  void delete(String key) throws IOException;
}
