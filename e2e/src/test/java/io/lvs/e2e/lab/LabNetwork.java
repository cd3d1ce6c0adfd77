package io.lvs.e2e.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lab's wire: one bridge in the VM's root namespace and one network namespace per host, the
 * seeds' single L2 segment. Addresses come from 198.18.0.0/15 only; nothing leaves the VM. The
 * root namespace holds the bridge address, where the API server listens.
 */
public final class LabNetwork {
  public static final String BRIDGE = "lvslab0";
  /** The root namespace's address on the bridge: the API server and the operator live here. */
  public static final String GATEWAY = "198.18.0.1";
  public static final int PREFIX_LENGTH = 24;
  public static final String CLIENT_NS = "client";
  public static final String CLIENT_ADDRESS = "198.18.0.60";
  /**
   * A second client address in a subnet no real server has a route to: NAT and FullNAT requests
   * come from it, so replies can only return through the director (the seeds' NAT lab puts the
   * client on another network).
   */
  public static final String REMOTE_CLIENT_ADDRESS = "198.18.2.100";
  public static final String REMOTE_CLIENT_SUBNET = "198.18.2.0/24";

  private final List<String> namespaces = new ArrayList<>();

  /**
   * Creates the bridge, the client namespace and one namespace per host (name → address), in one
   * shell script: under emulation every process start costs, so the topology is built in one go.
   */
  public void create(Map<String, String> hosts) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put(CLIENT_NS, CLIENT_ADDRESS);
    all.putAll(hosts);
    // one ip -batch for the root namespace and one per host namespace: 8 processes, not 40
    StringBuilder root = new StringBuilder()
        .append("link add ").append(BRIDGE).append(" type bridge\n")
        .append("addr add ").append(GATEWAY).append('/').append(PREFIX_LENGTH).append(" dev ").append(BRIDGE).append('\n')
        .append("link set ").append(BRIDGE).append(" up\n")
        .append("link set lo up\n");
    StringBuilder sh = new StringBuilder("set -e\n");
    for (Map.Entry<String, String> h : all.entrySet()) {
      String ns = h.getKey();
      root.append("netns add ").append(ns).append('\n')
          .append("link add v").append(ns).append(" type veth peer name eth0 netns ").append(ns).append('\n')
          .append("link set v").append(ns).append(" master ").append(BRIDGE).append(" up\n");
      sh.append("ip -n ").append(ns).append(" -batch - <<'EOF'\n")
          .append("addr add ").append(h.getValue()).append('/').append(PREFIX_LENGTH).append(" dev eth0\n")
          .append(ns.equals(CLIENT_NS) ? "addr add " + REMOTE_CLIENT_ADDRESS + "/32 dev eth0\n" : "")
          .append("link set eth0 up\nlink set lo up\nEOF\n");
      namespaces.add(ns);
    }
    String script = "set -e\nip -batch - <<'EOF'\n" + root + "EOF\n" + sh;
    Shell.run(Duration.ofSeconds(180), List.of("sh", "-c", script)).orThrow();
  }

  /**
   * Lets a director reach the remote client subnet (through the client host, which owns it):
   * what the seeds' NAT lab gets from the director's second interface.
   */
  public void routeRemoteClientsFrom(String directorNs) {
    Shell.ok("ip", "-n", directorNs, "route", "replace", REMOTE_CLIENT_SUBNET, "via", CLIENT_ADDRESS);
  }

  /** The NAT lab's real-server routing: replies to remote clients go back through the director. */
  public void routeRemoteClientsVia(String realServerNs, String directorAddress) {
    Shell.ok("ip", "-n", realServerNs, "route", "replace", REMOTE_CLIENT_SUBNET, "via", directorAddress);
  }

  public void removeRemoteClientRoute(String realServerNs) {
    Shell.inNs(realServerNs, "ip", "route", "del", REMOTE_CLIENT_SUBNET);
  }

  public List<String> namespaces() {
    return List.copyOf(namespaces);
  }
}
