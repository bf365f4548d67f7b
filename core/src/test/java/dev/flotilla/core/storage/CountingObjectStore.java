package dev.flotilla.core.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory store that counts object reads (GET, HEAD) and listings. */
final class CountingObjectStore implements ObjectStore {
  private final InMemoryObjectStore delegate = new InMemoryObjectStore();
  final AtomicInteger reads = new AtomicInteger();
  final AtomicInteger listings = new AtomicInteger();

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
    reads.incrementAndGet();
    return delegate.get(key);
  }

  @Override
  public void getToFile(String key, Path target) throws IOException {
    reads.incrementAndGet();
    delegate.getToFile(key, target);
  }

  @Override
  public long size(String key) throws IOException {
    reads.incrementAndGet();
    return delegate.size(key);
  }

  @Override
  public boolean exists(String key) throws IOException {
    reads.incrementAndGet();
    return delegate.exists(key);
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    listings.incrementAndGet();
    return delegate.list(prefix);
  }

  @Override
  public void delete(String key) throws IOException {
    delegate.delete(key);
  }
}
