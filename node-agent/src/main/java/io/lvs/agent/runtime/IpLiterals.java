package io.lvs.agent.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses IP address literals without ever asking DNS: {@link InetAddress#getByName} falls back to
 * a lookup for text that is not a literal, which an agent must never do for a spec field.
 */
public final class IpLiterals {
  private static final Pattern V4 = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");
  private static final Pattern V6_CHARS = Pattern.compile("^[0-9a-fA-F:.]+$");

  private IpLiterals() {}

  /** The address, or an IllegalArgumentException saying why the text is not one. */
  public static InetAddress parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("missing IP address");
    }
    Matcher m = V4.matcher(text);
    if (m.matches()) {
      byte[] b = new byte[4];
      for (int i = 0; i < 4; i++) {
        int octet = Integer.parseInt(m.group(i + 1));
        if (octet > 255) {
          throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address (octet " + octet + ")");
        }
        b[i] = (byte) octet;
      }
      return address(text, b);
    }
    if (text.contains(":") && V6_CHARS.matcher(text).matches()) {
      try {
        // brackets make the JDK treat it strictly as an IPv6 literal: invalid text fails, no lookup
        return InetAddress.getByName("[" + text + "]");
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("\"" + text + "\" is not an IPv6 address", e);
      }
    }
    throw new IllegalArgumentException("\"" + text + "\" is not an IP address literal");
  }

  private static InetAddress address(String text, byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("\"" + text + "\": " + e.getMessage(), e);
    }
  }
}
