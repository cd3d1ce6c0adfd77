package io.lvs.agent.sysctl;

import java.util.Optional;

/** Kernel parameters by dotted key (net.ipv4.conf.lo.arp_ignore), as /proc/sys holds them. */
public interface Sysctl {
  /** The current value, trimmed; empty when the key does not exist on this kernel. */
  Optional<String> read(String key);

  /** Writes the value; fails with an exception naming the key, value and the reason. */
  void write(String key, String value);
}
