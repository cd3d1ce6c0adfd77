package io.lvs.agent.model;

import java.util.Objects;

/**
 * The configurable attributes of an IPVS service (IPVS_SVC_ATTR_*). {@code flags} are the
 * kernel's IP_VS_SVC_F_* bits (PERSISTENT 0x1, HASHED 0x2 is kernel-internal and never set
 * here, ONEPACKET 0x4, SCHED1..3 0x8/0x10/0x20). {@code netmask} is the persistence granularity
 * as a prefix length (the codec turns it into the kernel's mask for IPv4).
 */
public record IpvsService(
    ServiceKey key, String scheduler, int flags, int timeoutSeconds, int netmaskPrefixLength) {
  public static final int F_PERSISTENT = 0x1;
  public static final int F_HASHED = 0x2;
  public static final int F_ONEPACKET = 0x4;
  public static final int F_SCHED1 = 0x8;
  public static final int F_SCHED2 = 0x10;
  public static final int F_SCHED3 = 0x20;

  public IpvsService {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(scheduler, "scheduler");
  }

  // Written out, as the record would define it: the generated method's method-handle chain costs
  // several times more under C1 (the agent image's compiler), and a resync compares every service.
  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof IpvsService s && flags == s.flags && timeoutSeconds == s.timeoutSeconds
        && netmaskPrefixLength == s.netmaskPrefixLength && key.equals(s.key) && scheduler.equals(s.scheduler);
  }

  @Override
  public int hashCode() {
    return (((key.hashCode() * 31 + scheduler.hashCode()) * 31 + flags) * 31 + timeoutSeconds) * 31 + netmaskPrefixLength;
  }
}
