package io.lvs.agent.fake;

import io.lvs.agent.sysctl.Sysctl;
import io.lvs.agent.sysctl.SysctlException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * /proc/sys in memory: the keys the agent uses, with a fresh kernel's defaults. Per-interface keys
 * (net.ipv4.conf.IFACE.*) exist while the link does, as in the kernel. Writing a missing key or a
 * value that is not an integer fails like /proc/sys does (ENOENT, EINVAL).
 */
public final class FakeSysctl implements Sysctl {
  static final Map<String, String> CONF_DEFAULTS =
      Map.of("arp_ignore", "0", "arp_announce", "0", "rp_filter", "0", "forwarding", "0");

  private final Map<String, String> values = new TreeMap<>();
  private int writes;

  FakeSysctl() {
    values.put("net.ipv4.ip_forward", "0");
    values.put("net.ipv4.vs.conntrack", "0");
    values.put("net.ipv4.vs.expire_nodest_conn", "0");
    values.put("net.ipv4.vs.expire_quiescent_template", "0");
    linkAdded("all");
    linkAdded("default");
  }

  public int writes() {
    return writes;
  }

  /** Sets a value as someone else would (an administrator, the distribution's defaults). */
  public void preset(String key, String value) {
    values.put(key, value);
  }

  public Map<String, String> all() {
    return new LinkedHashMap<>(values);
  }

  void linkAdded(String name) {
    CONF_DEFAULTS.forEach((k, v) -> values.putIfAbsent("net.ipv4.conf." + name + "." + k, v));
  }

  void linkRemoved(String name) {
    values.keySet().removeIf(k -> k.startsWith("net.ipv4.conf." + name + "."));
  }

  @Override
  public Optional<String> read(String key) {
    return Optional.ofNullable(values.get(key));
  }

  @Override
  public void write(String key, String value) {
    writes++;
    if (!values.containsKey(key)) {
      throw new SysctlException("write sysctl " + key + "=" + value + ": ENOENT (no such key)");
    }
    if (!value.trim().matches("-?\\d+")) {
      throw new SysctlException("write sysctl " + key + "=" + value + ": EINVAL (Invalid argument)");
    }
    values.put(key, value.trim());
  }
}
