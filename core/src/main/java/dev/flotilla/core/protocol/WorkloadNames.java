package dev.flotilla.core.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Deterministic DNS-1123 label names of workloads: {@code <fed>-r<round>-<client>} and {@code
 * <fed>-r<round>-agg}, with {@code -a<attempt>} for attempts after the first. A name that would be
 * longer than 63 characters, or that had to be altered to be valid (which could make two clients
 * collide), is truncated and carries an 8-hex-digit hash of the exact unaltered name.
 */
public final class WorkloadNames {

  /** Maximum length of a DNS-1123 label. */
  public static final int MAX_LENGTH = 63;

  private static final int HASH_LENGTH = 8;

  private WorkloadNames() {}

  /** Name of the trainer of {@code clientId} in a round attempt. */
  public static String trainer(String federation, int round, String clientId, int attempt) {
    return name(federation + "-r" + round + "-" + clientId, attempt);
  }

  /** Name of the aggregator of a round attempt. */
  public static String aggregator(String federation, int round, int attempt) {
    return name(federation + "-r" + round + "-agg", attempt);
  }

  /**
   * {@code name} made unique per {@code qualifier} (e.g. the Federation's namespace, for a Job that
   * runs in a pool's namespace where same-named Federations of several namespaces may meet): {@code
   * name} cut to fit, a dash and an 8-hex-digit hash of the qualifier and the name.
   */
  public static String qualified(String name, String qualifier) {
    String head =
        trimDashes(name.substring(0, Math.min(name.length(), MAX_LENGTH - HASH_LENGTH - 1)));
    return head + "-" + hash(qualifier + "/" + name);
  }

  private static String name(String base, int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
    }
    String suffix = attempt == 1 ? "" : "-a" + attempt;
    String sanitized = sanitize(base);
    if (sanitized.equals(base) && sanitized.length() + suffix.length() <= MAX_LENGTH) {
      return sanitized + suffix;
    }
    String head = sanitized.substring(0, Math.min(sanitized.length(), headLength(suffix)));
    head = trimDashes(head);
    String hash = hash(base);
    return (head.isEmpty() ? "" : head + "-") + hash + suffix;
  }

  private static int headLength(String suffix) {
    return MAX_LENGTH - suffix.length() - HASH_LENGTH - 1;
  }

  private static String sanitize(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toLowerCase(Locale.ROOT).toCharArray()) {
      boolean valid = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      out.append(valid ? c : '-');
    }
    return trimDashes(out.toString());
  }

  private static String trimDashes(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '-') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '-') {
      end--;
    }
    return s.substring(start, end);
  }

  private static String hash(String s) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, HASH_LENGTH / 2);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }
}
