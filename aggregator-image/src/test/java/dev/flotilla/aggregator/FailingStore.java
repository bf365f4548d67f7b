package dev.flotilla.aggregator;

import dev.flotilla.core.storage.ForwardingObjectStore;
import dev.flotilla.core.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** A store that throws an unexpected runtime exception when one key is read, like a library bug. */
final class FailingStore extends ForwardingObjectStore {
  private final String poisoned;

  FailingStore(ObjectStore delegate, String poisoned) {
    super(delegate);
    this.poisoned = poisoned;
  }

  private void check(String key) {
    if (key.equals(poisoned)) {
      throw new IllegalStateException("poisoned " + key);
    }
  }

  @Override
  public InputStream get(String key) throws IOException {
    check(key);
    return super.get(key);
  }

  @Override
  public void getToFile(String key, Path target) throws IOException {
    check(key);
    super.getToFile(key, target);
  }

  @Override
  public long size(String key) throws IOException {
    check(key);
    return super.size(key);
  }
}
