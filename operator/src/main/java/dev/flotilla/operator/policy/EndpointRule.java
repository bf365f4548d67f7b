package dev.flotilla.operator.policy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which object-store endpoints a spec may name. Refused unless listed: loopback, link-local (the
 * cloud metadata service at 169.254.169.254 and fe80::/10), unspecified, private and shared
 * addresses (where cluster pods and Services live), and cluster-internal names ({@code localhost},
 * single-label names resolved through the DNS search path, {@code *.svc}, {@code *.cluster.local},
 * {@code *.internal}). Host names are judged as written and never resolved here: resolving on a
 * reconcile thread would block it and a DNS answer can change before the call; the operator's
 * NetworkPolicy is what stops a public name that points inside (docs/security.md).
 *
 * @param allowed hosts allowed even when internal: exact names, {@code *.domain}, IP CIDRs
 * @param allowPublic whether public hosts that are not listed are allowed
 */
public record EndpointRule(List<String> allowed, boolean allowPublic) {

  /** The setting named in refusals. */
  static final String ALLOWED = "flotilla.policy.storage.allowed-endpoints";

  private static final Pattern DOTTED_QUAD =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

  /**
   * A last label that is a number: no top-level domain is, but the C resolver reads such hosts as
   * addresses (127.1, 2130706433, 0x7f.0.0.1).
   */
  private static final Pattern NUMERIC_HOST = Pattern.compile("(.*\\.)?(0x[0-9a-f]*|[0-9]+)");

  /** Copies the list. */
  public EndpointRule {
    allowed = allowed.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
  }

  /** Why {@code endpoint}, set in {@code field}, is refused; empty when allowed or unset. */
  public Optional<String> refusal(String field, String endpoint) {
    if (endpoint == null || endpoint.isBlank()) {
      return Optional.empty();
    }
    String host = host(endpoint);
    if (host == null || host.isEmpty()) {
      return Optional.of(field + " '" + endpoint + "' has no host name");
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    InetAddress address = literal(host);
    if (isListed(host, address)) {
      return Optional.empty();
    }
    String internal = address != null ? internalAddress(address) : internalName(host);
    if (internal != null) {
      return Optional.of(
          field
              + " '"
              + endpoint
              + "' is "
              + internal
              + "; allowed only when listed in "
              + ALLOWED
              + " (now: "
              + allowed
              + ")");
    }
    if (!allowPublic) {
      return Optional.of(
          field
              + " '"
              + endpoint
              + "' is not listed in "
              + ALLOWED
              + " (now: "
              + allowed
              + "; flotilla.policy.storage.allow-public-endpoints: false)");
    }
    return Optional.empty();
  }

  /**
   * The host of {@code endpoint}; java.net.URI leaves it null for hosts that are not names (such as
   * {@code 127.1}), which are then taken from the authority.
   */
  private static String host(String endpoint) {
    URI uri;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (uri.getHost() != null || uri.getRawAuthority() == null) {
      return uri.getHost();
    }
    String authority = uri.getRawAuthority();
    authority = authority.substring(authority.lastIndexOf('@') + 1);
    int colon = authority.lastIndexOf(':');
    return colon < 0 || authority.endsWith("]") ? authority : authority.substring(0, colon);
  }

  /** The address of an IP literal host, null for a name; never a DNS lookup. */
  private static InetAddress literal(String host) {
    if (!host.contains(":") && !DOTTED_QUAD.matcher(host).matches()) {
      return null;
    }
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private boolean isListed(String host, InetAddress address) {
    for (String entry : allowed) {
      if (entry.equals(host)
          || (entry.startsWith("*.") && host.endsWith(entry.substring(1)))
          || (address != null && entry.contains("/") && inCidr(address, entry))) {
        return true;
      }
    }
    return false;
  }

  /** What makes an address internal, or null for a public one. */
  static String internalAddress(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (address.isLoopbackAddress()) {
      return "a loopback address";
    }
    if (address.isLinkLocalAddress()) {
      return "a link-local address (the cloud metadata service lives there)";
    }
    if (address.isAnyLocalAddress()) {
      return "the unspecified address";
    }
    if (address.isMulticastAddress()) {
      return "a multicast address";
    }
    if (address.isSiteLocalAddress()
        || (bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc)
        || (bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64)) {
      return "a private address (cluster pods and Services live in these ranges)";
    }
    return null;
  }

  /** What makes a host name cluster-internal, or null for a public-looking one. */
  static String internalName(String host) {
    if (NUMERIC_HOST.matcher(host).matches()) {
      return "a numeric host that is not a canonical IP address";
    }
    if (host.equals("localhost") || host.endsWith(".localhost")) {
      return "a loopback name";
    }
    if (!host.contains(".")) {
      return "a single-label name (resolved through the cluster's DNS search path)";
    }
    if (host.endsWith(".svc")
        || host.contains(".svc.")
        || host.endsWith(".cluster.local")
        || host.endsWith(".internal")) {
      return "a cluster-internal name";
    }
    return null;
  }

  /** Whether {@code address} lies in {@code cidr} (a.b.c.d/n or an IPv6 prefix). */
  static boolean inCidr(InetAddress address, String cidr) {
    int slash = cidr.indexOf('/');
    InetAddress network = literal(cidr.substring(0, slash));
    int bits;
    try {
      bits = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      return false;
    }
    if (network == null) {
      return false;
    }
    byte[] a = address.getAddress();
    byte[] n = network.getAddress();
    if (a.length != n.length || bits < 0 || bits > a.length * 8) {
      return false;
    }
    int shift = a.length * 8 - bits;
    return new BigInteger(1, a).shiftRight(shift).equals(new BigInteger(1, n).shiftRight(shift));
  }
}
