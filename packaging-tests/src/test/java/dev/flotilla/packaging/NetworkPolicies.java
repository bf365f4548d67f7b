package dev.flotilla.packaging;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

/** What a rendered NetworkPolicy selects and allows: label selectors and ipBlock containment. */
public final class NetworkPolicies {
  private NetworkPolicies() {}

  /** Whether a LabelSelector (matchLabels, matchExpressions In/NotIn/Exists) selects labels. */
  public static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
    for (Map.Entry<String, Object> e : Yaml.map(selector, "matchLabels").entrySet()) {
      if (!String.valueOf(e.getValue()).equals(String.valueOf(labels.get(e.getKey())))) {
        return false;
      }
    }
    for (Object item : Yaml.list(selector, "matchExpressions")) {
      Map<String, Object> expression = Yaml.asMap(item);
      Object value = labels.get(expression.get("key"));
      List<Object> values = Yaml.list(expression, "values");
      boolean ok =
          switch ((String) expression.get("operator")) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Whether an egress peer's ipBlock lets traffic reach {@code address}. */
  public static boolean ipBlockAllows(Map<String, Object> peer, String address) {
    Map<String, Object> block = Yaml.map(peer, "ipBlock");
    if (block.isEmpty()) {
      return false;
    }
    if (!contains((String) block.get("cidr"), address)) {
      return false;
    }
    return Yaml.list(block, "except").stream().noneMatch(e -> contains((String) e, address));
  }

  private static boolean contains(String cidr, String address) {
    try {
      byte[] a = InetAddress.getByName(address).getAddress();
      String[] parts = cidr.split("/");
      byte[] n = InetAddress.getByName(parts[0]).getAddress();
      int bits = Integer.parseInt(parts[1]);
      if (a.length != n.length) {
        return false;
      }
      int shift = a.length * 8 - bits;
      return new BigInteger(1, a).shiftRight(shift).equals(new BigInteger(1, n).shiftRight(shift));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(cidr + " / " + address, e);
    }
  }
}
