package io.lvs.agent.diff;

import io.lvs.agent.ipvs.IpvsTimeouts;
import io.lvs.agent.ownership.OwnedTimeouts;

/**
 * What to do with the node's IPVS timeouts, per timeout (tcp, tcpfin, udp): set the wanted value,
 * restore the original of one no longer wanted, or leave it. Pure.
 *
 * @param record the originals to have on disk before {@link #set} reaches the kernel (an agent that
 *     dies right after the write still knows what to restore)
 * @param set what IPVS_CMD_SET_CONFIG sends; 0 leaves that timeout unchanged (the kernel's rule)
 * @param after the originals still owed a restore once {@link #set} succeeded
 */
public record TimeoutPlan(OwnedTimeouts record, IpvsTimeouts set, OwnedTimeouts after) {
  private record Field(Integer record, int set, Integer after) {}

  /**
   * @param wanted the configured timeouts, 0 where none is configured
   * @param kernel what the kernel holds now (IPVS_CMD_GET_CONFIG)
   * @param owned the originals recorded by earlier writes
   */
  public static TimeoutPlan of(IpvsTimeouts wanted, IpvsTimeouts kernel, OwnedTimeouts owned) {
    Field tcp = field(wanted.tcpSeconds(), kernel.tcpSeconds(), owned.tcpOriginal());
    Field fin = field(wanted.tcpFinSeconds(), kernel.tcpFinSeconds(), owned.tcpFinOriginal());
    Field udp = field(wanted.udpSeconds(), kernel.udpSeconds(), owned.udpOriginal());
    return new TimeoutPlan(
        new OwnedTimeouts(tcp.record(), fin.record(), udp.record()),
        new IpvsTimeouts(tcp.set(), fin.set(), udp.set()),
        new OwnedTimeouts(tcp.after(), fin.after(), udp.after()));
  }

  /** Whether {@link #set} changes anything in the kernel. */
  public boolean changesKernel() {
    return set.tcpSeconds() != 0 || set.tcpFinSeconds() != 0 || set.udpSeconds() != 0;
  }

  private static Field field(int wanted, int kernel, Integer original) {
    if (wanted > 0) {
      // the original is taken once, before the first write; later writes keep it
      Integer keep = original != null ? original : Integer.valueOf(kernel);
      return new Field(keep, kernel == wanted ? 0 : wanted, keep);
    }
    if (original != null) {
      // no longer configured: back to what the kernel had before the agent, then not ours any more
      return new Field(original, kernel == original ? 0 : original, null);
    }
    return new Field(null, 0, null); // never ours: not touched
  }
}
