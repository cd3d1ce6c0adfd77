package io.lvs.operator.plan;

/** The sysctl keys the seed labs set by hand, by the role that needs them. */
final class Sysctls {
  static final String IP_FORWARD = "net.ipv4.ip_forward";
  static final String IPV6_FORWARDING = "net.ipv6.conf.all.forwarding";
  static final String VS_CONNTRACK = "net.ipv4.vs.conntrack";
  static final String ALL_RP_FILTER = "net.ipv4.conf.all.rp_filter";
  static final String ALL_SEND_REDIRECTS = "net.ipv4.conf.all.send_redirects";

  private Sysctls() {}

  static String arpIgnore(String iface) {
    return "net.ipv4.conf." + iface + ".arp_ignore";
  }

  static String arpAnnounce(String iface) {
    return "net.ipv4.conf." + iface + ".arp_announce";
  }

  static String sendRedirects(String iface) {
    return "net.ipv4.conf." + iface + ".send_redirects";
  }

  static String rpFilter(String iface) {
    return "net.ipv4.conf." + iface + ".rp_filter";
  }
}
