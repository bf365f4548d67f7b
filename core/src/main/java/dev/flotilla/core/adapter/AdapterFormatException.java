package dev.flotilla.core.adapter;

import java.io.IOException;

/**
 * A file or stream that does not hold a valid adapter (or safetensors file); the message names the
 * file and, where one is at fault, the tensor or configuration field.
 */
public class AdapterFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String tensor;
  private final String field;

  /**
   * Creates the exception; at most one of {@code tensor} and {@code field} is non-null.
   *
   * @param file the file, object key or stream label at fault
   * @param tensor the tensor at fault, or {@code null}
   * @param field the configuration field at fault, or {@code null}
   * @param problem what is wrong
   * @param cause the underlying cause, or {@code null}
   */
  protected AdapterFormatException(
      String file, String tensor, String field, String problem, Throwable cause) {
    super(format(file, tensor, field, problem), cause);
    this.file = file;
    this.tensor = tensor;
    this.field = field;
  }

  /** A problem with the file as a whole. */
  public static AdapterFormatException forFile(String file, String problem) {
    return new AdapterFormatException(file, null, null, problem, null);
  }

  /** A problem with the file as a whole, caused by {@code cause}. */
  public static AdapterFormatException forFile(String file, String problem, Throwable cause) {
    return new AdapterFormatException(file, null, null, problem, cause);
  }

  /** A problem with one tensor of the file. */
  public static AdapterFormatException forTensor(String file, String tensor, String problem) {
    return new AdapterFormatException(file, tensor, null, problem, null);
  }

  /** A problem with one field of a configuration file. */
  public static AdapterFormatException forField(String file, String field, String problem) {
    return new AdapterFormatException(file, null, field, problem, null);
  }

  private static String format(String file, String tensor, String field, String problem) {
    if (tensor != null) {
      return file + ": tensor '" + tensor + "': " + problem;
    }
    if (field != null) {
      return file + ": field '" + field + "': " + problem;
    }
    return file + ": " + problem;
  }

  /** The file, object key or stream label at fault. */
  public String file() {
    return file;
  }

  /** The tensor at fault, or {@code null}. */
  public String tensor() {
    return tensor;
  }

  /** The configuration field at fault, or {@code null}. */
  public String field() {
    return field;
  }
}
