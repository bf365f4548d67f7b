package dev.flotilla.operator.policy;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which workload images a spec may name: those under an allowed prefix (compared on the full
 * reference, Docker Hub's implicit {@code docker.io/library/} made explicit), optionally pinned by
 * digest; the operator's own default images always pass.
 *
 * @param allowedPrefixes allowed prefixes ({@code *}: any image)
 * @param requireDigest whether an image must carry {@code @sha256:...}
 * @param defaults the operator's default images
 */
public record ImageRule(List<String> allowedPrefixes, boolean requireDigest, Set<String> defaults) {

  /** The setting named in refusals. */
  static final String PREFIXES = "flotilla.policy.images.allowed-prefixes";

  /** Copies the lists. */
  public ImageRule {
    allowedPrefixes = List.copyOf(allowedPrefixes);
    defaults = Set.copyOf(defaults);
  }

  /** Why {@code image}, set in {@code field}, is refused; empty when allowed or unset. */
  public Optional<String> refusal(String field, String image) {
    if (image == null || image.isBlank() || defaults.contains(image)) {
      return Optional.empty();
    }
    String full = normalize(image);
    if (allowedPrefixes.stream().noneMatch(prefix -> under(full, prefix))) {
      return Optional.of(
          field
              + " '"
              + image
              + "' is not under an allowed image prefix ("
              + PREFIXES
              + ": "
              + allowedPrefixes
              + ")");
    }
    if (requireDigest && !image.contains("@sha256:")) {
      return Optional.of(
          field
              + " '"
              + image
              + "' is not pinned by digest (flotilla.policy.images.require-digest: true)");
    }
    return Optional.empty();
  }

  /** {@code image} with its registry: Docker Hub's short forms made explicit. */
  static String normalize(String image) {
    int slash = image.indexOf('/');
    String first = slash < 0 ? "" : image.substring(0, slash);
    boolean hasRegistry = first.contains(".") || first.contains(":") || first.equals("localhost");
    if (hasRegistry) {
      return image;
    }
    return slash < 0 ? "docker.io/library/" + image : "docker.io/" + image;
  }

  /** Whether {@code image} lies under {@code prefix} at a path, tag or digest boundary. */
  private static boolean under(String image, String prefix) {
    if (prefix.equals("*")) {
      return true;
    }
    if (!image.startsWith(prefix)) {
      return false;
    }
    if (prefix.endsWith("/") || image.length() == prefix.length()) {
      return true;
    }
    char next = image.charAt(prefix.length());
    return next == '/' || next == ':' || next == '@';
  }
}
