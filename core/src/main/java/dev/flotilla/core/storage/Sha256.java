package dev.flotilla.core.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 digests of stored objects, as 64 lower-case hex digits. */
public final class Sha256 {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  private Sha256() {}

  /** A fresh SHA-256 digest. */
  public static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  /** The hex digest of {@code bytes}. */
  public static String hex(byte[] bytes) {
    return format(digest().digest(bytes));
  }

  /** The hex digest of the content of {@code file}. */
  public static String hex(Path file) throws IOException {
    MessageDigest digest = digest();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    return format(digest.digest());
  }

  /** Lower-case hex of a finished digest. */
  public static String hexOf(MessageDigest digest) {
    return format(digest.digest());
  }

  /** Whether {@code value} is a hex digest as this class writes them. */
  public static boolean isHex(String value) {
    return value != null && HEX.matcher(value).matches();
  }

  private static String format(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }
}
