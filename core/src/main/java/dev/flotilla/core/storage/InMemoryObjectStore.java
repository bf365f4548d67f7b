package dev.flotilla.core.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** A thread-safe object store held in memory, for tests and single-process runs. */
public final class InMemoryObjectStore implements ObjectStore {

  private final ConcurrentNavigableMap<String, byte[]> objects = new ConcurrentSkipListMap<>();

  @Override
  public void put(String key, byte[] bytes) {
    objects.put(checkKey(key), bytes.clone());
  }

  @Override
  public boolean putIfAbsent(String key, byte[] bytes) {
    return objects.putIfAbsent(checkKey(key), bytes.clone()) == null;
  }

  @Override
  public void put(String key, Path file) throws IOException {
    objects.put(checkKey(key), Files.readAllBytes(file));
  }

  @Override
  public void put(String key, InputStream in, long length) throws IOException {
    checkKey(key);
    byte[] bytes = in.readNBytes(Math.toIntExact(length));
    if (bytes.length != length) {
      throw new IOException(
          "stream for " + key + " ended after " + bytes.length + " of " + length + " bytes");
    }
    objects.put(key, bytes);
  }

  @Override
  public InputStream get(String key) throws NoSuchObjectException {
    return new ByteArrayInputStream(bytes(key));
  }

  @Override
  public byte[] getBytes(String key) throws NoSuchObjectException {
    return bytes(key).clone();
  }

  @Override
  public void getToFile(String key, Path target) throws IOException {
    byte[] bytes = bytes(key);
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, ".download-", ".part");
    try {
      Files.write(tmp, bytes);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public long size(String key) throws NoSuchObjectException {
    return bytes(key).length;
  }

  @Override
  public boolean exists(String key) {
    return objects.containsKey(key);
  }

  @Override
  public List<String> list(String prefix) {
    List<String> keys = new ArrayList<>();
    for (String key : objects.tailMap(prefix, true).keySet()) {
      if (!key.startsWith(prefix)) {
        break;
      }
      keys.add(key);
    }
    return keys;
  }

  @Override
  public void delete(String key) {
    objects.remove(key);
  }

  /** Number of objects stored. */
  public int size() {
    return objects.size();
  }

  private byte[] bytes(String key) throws NoSuchObjectException {
    byte[] bytes = objects.get(key);
    if (bytes == null) {
      throw new NoSuchObjectException("in-memory store", key);
    }
    return bytes;
  }

  private static String checkKey(String key) {
    if (key == null || key.isEmpty() || key.startsWith("/")) {
      throw new IllegalArgumentException("object key must be non-empty and relative: " + key);
    }
    return key;
  }
}
