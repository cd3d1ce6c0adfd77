package io.lvs.e2e.lab;

/** Point reads of one namespace's kernel with ip and /proc/sys (the oracle, never the product). */
public final class Kernel {
  private Kernel() {}

  /** A sysctl by dotted name, e.g. net.ipv4.conf.all.arp_ignore, as seen inside {@code ns}. */
  public static String sysctl(String ns, String key) {
    return Shell.inNs(ns, "cat", "/proc/sys/" + key.replace('.', '/')).orThrow().strip();
  }

  /** Whether {@code dev} in {@code ns} holds {@code address} (any prefix length). */
  public static boolean hasAddress(String ns, String dev, String address) {
    Shell.Result r = Shell.inNs(ns, "ip", "-o", "-4", "addr", "show", "dev", dev);
    return r.ok() && r.stdout().contains(" " + address + "/");
  }

  /** Whether the link is administratively up. */
  public static boolean linkUp(String ns, String dev) {
    Shell.Result r = Shell.inNs(ns, "ip", "-o", "link", "show", "dev", dev);
    return r.ok() && r.stdout().matches("(?s).*<[^>]*\\bUP\\b[^>]*>.*");
  }
}
