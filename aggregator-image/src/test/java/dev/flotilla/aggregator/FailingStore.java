package dev.flotilla.aggregator;

import dev.flotilla.core.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/** A store that throws an unexpected runtime exception when one key is read, like a library bug. */
final class FailingStore implements ObjectStore {
  private final ObjectStore delegate;
  private final String poisoned;

  FailingStore(ObjectStore delegate, String poisoned) {
    this.delegate = delegate;
    this.poisoned = poisoned;
  }

  private void check(String key) {
    if (key.equals(poisoned)) {
      throw new IllegalStateException("poisoned " + key);
    }
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    delegate.put(key, bytes);
  }

  @Override
  public boolean putIfAbsent(String key, byte[] bytes) throws IOException {
    return delegate.putIfAbsent(key, bytes);
  }

  @Override
  public void put(String key, Path file) throws IOException {
    delegate.put(key, file);
  }

  @Override
  public void put(String key, InputStream in, long length) throws IOException {
    delegate.put(key, in, length);
  }

  @Override
  public InputStream get(String key) throws IOException {
    check(key);
    return delegate.get(key);
  }

  @Override
  public void getToFile(String key, Path target) throws IOException {
    check(key);
    delegate.getToFile(key, target);
  }

  @Override
  public long size(String key) throws IOException {
    check(key);
    return delegate.size(key);
  }

  @Override
  public boolean exists(String key) throws IOException {
    return delegate.exists(key);
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    return delegate.list(prefix);
  }

  @Override
  public void delete(String key) throws IOException {
    delegate.delete(key);
  }
}
