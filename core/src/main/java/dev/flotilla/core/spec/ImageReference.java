package dev.flotilla.core.spec;

import java.util.regex.Pattern;

/**
 * The container image reference grammar of the CRD schema: {@code [registry[:port]/]path[:tag]
 * [@algorithm:digest]}, with lowercase path components as the OCI distribution spec requires.
 */
public final class ImageReference {

  /** Regular expression of an image reference (RE2- and java.util.regex-compatible). */
  public static final String PATTERN =
      "^([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*"
          + "(:[0-9]+)?/)?"
          + "[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*(/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*"
          + "(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
          + "(@[a-z0-9]+([+._-][a-z0-9]+)*:[A-Fa-f0-9]{32,})?$";

  private static final Pattern COMPILED = Pattern.compile(PATTERN);

  private ImageReference() {}

  /** Whether {@code image} is a well-formed image reference. */
  public static boolean isValid(String image) {
    return image != null && COMPILED.matcher(image).matches();
  }
}
