package dev.flotilla.core.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory store that counts object reads (GET, HEAD) and listings. */
final class CountingObjectStore extends ForwardingObjectStore {
  final AtomicInteger reads = new AtomicInteger();
  final AtomicInteger listings = new AtomicInteger();

  CountingObjectStore() {
    super(new InMemoryObjectStore());
  }

  @Override
  public InputStream get(String key) throws IOException {
    reads.incrementAndGet();
    return super.get(key);
  }

  @Override
  public void getToFile(String key, Path target) throws IOException {
    reads.incrementAndGet();
    super.getToFile(key, target);
  }

  @Override
  public long size(String key) throws IOException {
    reads.incrementAndGet();
    return super.size(key);
  }

  @Override
  public boolean exists(String key) throws IOException {
    reads.incrementAndGet();
    return super.exists(key);
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    listings.incrementAndGet();
    return super.list(prefix);
  }
}
