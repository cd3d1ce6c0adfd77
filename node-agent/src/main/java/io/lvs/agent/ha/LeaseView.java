package io.lvs.agent.ha;

/**
 * A VIP's Lease as last read: who holds it ({@code null}: nobody, released or never created) and
 * its version (resourceVersion; {@code null}: the Lease does not exist). A standby measures expiry
 * by its own clock from when it saw the version change, never from the Lease's renewTime, so the
 * directors' clocks need not agree (as client-go's leader election).
 */
public record LeaseView(String holder, String version) {
  public static final LeaseView ABSENT = new LeaseView(null, null);

  public boolean held() {
    return holder != null && !holder.isEmpty();
  }

  public boolean heldBy(String node) {
    return held() && holder.equals(node);
  }
}
