package io.lvs.agent.ha;

/**
 * A VIP's Lease as last read: who holds it ({@code null}: nobody, released or never created), its
 * version (resourceVersion; {@code null}: the Lease does not exist) and the token of the write that
 * made it ({@code null}: none recorded), which names that write in its holder's heartbeats. A
 * standby measures expiry by its own clock (from when it saw the version change, or from when its
 * holder's heartbeat says that write was sent), never from the Lease's renewTime, so the
 * directors' clocks need not agree (as client-go's leader election).
 */
public record LeaseView(String holder, String version, String write) {
  public static final LeaseView ABSENT = new LeaseView(null, null);

  public LeaseView(String holder, String version) {
    this(holder, version, null);
  }

  public boolean held() {
    return holder != null && !holder.isEmpty();
  }

  public boolean heldBy(String node) {
    return held() && holder.equals(node);
  }
}
