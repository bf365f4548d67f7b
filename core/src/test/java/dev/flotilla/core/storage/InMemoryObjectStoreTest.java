package dev.flotilla.core.storage;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

class InMemoryObjectStoreTest extends ObjectStoreContract {

  private final InMemoryObjectStore store = new InMemoryObjectStore();

  @Override
  ObjectStore store() {
    return store;
  }

  @Test
  void shortStreamIsAnError() {
    assertThatThrownBy(() -> store.put("k", new ByteArrayInputStream(new byte[3]), 5))
        .hasMessageContaining("ended after 3 of 5 bytes");
  }

  @Test
  void absoluteKeyIsRejected() {
    assertThatThrownBy(() -> store.put("/abs", new byte[1]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
