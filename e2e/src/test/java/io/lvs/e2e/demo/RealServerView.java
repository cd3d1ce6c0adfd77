package io.lvs.e2e.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One demo line per real server: the addresses its {@code lo} holds and its ARP sysctls, which
 * is what Direct Routing needs there (the VIP on lo, arp_ignore=1, arp_announce=2).
 *
 * @param name the real server's node name
 * @param loAddresses every inet address of lo with its prefix, in {@code ip} order
 * @param arpIgnore net.ipv4.conf.all.arp_ignore as /proc/sys holds it
 * @param arpAnnounce net.ipv4.conf.all.arp_announce as /proc/sys holds it
 */
public record RealServerView(String name, List<String> loAddresses, String arpIgnore, String arpAnnounce) {
  // ip -o prints one address a line; the trailing "\    valid_lft ..." is the folded second line
  private static final Pattern INET = Pattern.compile("\\binet6?\\s+(\\S+)");

  public RealServerView {
    loAddresses = List.copyOf(loAddresses);
  }

  /** From the output of {@code ip -o addr show dev lo} and the two sysctl files' contents. */
  public static RealServerView of(String name, String ipOneLineAddr, String arpIgnore, String arpAnnounce) {
    List<String> addresses = new ArrayList<>();
    for (String line : ipOneLineAddr.split("\n")) {
      Matcher m = INET.matcher(line);
      if (m.find()) {
        addresses.add(m.group(1));
      }
    }
    return new RealServerView(name, addresses, arpIgnore.strip(), arpAnnounce.strip());
  }

  /** Whether lo holds {@code vip} (as a host route: any prefix). */
  public boolean holds(String vip) {
    return loAddresses.stream().anyMatch(a -> a.startsWith(vip + "/"));
  }

  /** {@code rs1: lo 127.0.0.1/8 198.18.0.100/32 (the VIP)  arp_ignore=1 arp_announce=2}. */
  public String line(String vip) {
    List<String> shown = loAddresses.stream().map(a -> a.startsWith(vip + "/") ? a + " (the VIP)" : a).toList();
    return name + ": lo " + (shown.isEmpty() ? "(no address)" : String.join(" ", shown))
        + (holds(vip) ? "" : "  -- VIP " + vip + " MISSING")
        + "  arp_ignore=" + arpIgnore + " arp_announce=" + arpAnnounce;
  }
}
