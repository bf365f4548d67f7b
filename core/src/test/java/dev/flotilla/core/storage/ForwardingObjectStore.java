package dev.flotilla.core.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A store passing every call to another, for test stores that count, record or fail one kind of
 * call: a subclass overrides only that call. The defaults of {@link ObjectStore} ({@code getBytes},
 * {@code listDirectories}) are not forwarded, so they go through the overridable calls.
 */
public abstract class ForwardingObjectStore implements ObjectStore {

  /** The store the calls go to. */
  protected final ObjectStore delegate;

  /** Forwards to {@code delegate}. */
  protected ForwardingObjectStore(ObjectStore delegate) {
    this.delegate = delegate;
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
    return delegate.get(key);
  }

  @Override
  public void getToFile(String key, Path target) throws IOException {
    delegate.getToFile(key, target);
  }

  @Override
  public long size(String key) throws IOException {
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
