package dev.flotilla.core.safetensors;

import dev.flotilla.core.adapter.AdapterFormatException;

/** A malformed safetensors file or stream; the message names the file and the tensor. */
public final class SafetensorsException extends AdapterFormatException {
  private static final long serialVersionUID = 1L;

  private SafetensorsException(String file, String tensor, String problem, Throwable cause) {
    super(file, tensor, null, problem, cause);
  }

  /** A problem with the file as a whole (header length, JSON syntax, trailing bytes). */
  public static SafetensorsException file(String file, String problem) {
    return new SafetensorsException(file, null, problem, null);
  }

  /** A problem with the file as a whole, caused by {@code cause}. */
  public static SafetensorsException file(String file, String problem, Throwable cause) {
    return new SafetensorsException(file, null, problem, cause);
  }

  /** A problem with tensor {@code tensor}. */
  public static SafetensorsException tensor(String file, String tensor, String problem) {
    return new SafetensorsException(file, tensor, problem, null);
  }
}
