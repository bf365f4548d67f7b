package dev.flotilla.local.container;

import java.io.IOException;

/** The container engine is missing, or cannot run a container as its spec demands. */
public final class ContainerEngineException extends IOException {
  /** An exception with {@code message}. */
  public ContainerEngineException(String message) {
    super(message);
  }

  /** An exception with {@code message} caused by {@code cause}. */
  public ContainerEngineException(String message, Throwable cause) {
    super(message, cause);
  }
}
