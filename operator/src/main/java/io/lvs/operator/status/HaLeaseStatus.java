package io.lvs.operator.status;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.lvs.api.v1alpha1.LastFailover;
import io.lvs.api.v1alpha1.NodeSummary;
import io.lvs.api.v1alpha1.VirtualServiceStatus;
import java.util.Map;

/**
 * What the directors' own Lease for an HA VIP ({@code lvs-ha-vip-<vip>}, written by their agents,
 * docs/ha.md) says for a VirtualService's status: its holder is the active director, and the
 * failover annotations its new holder wrote at takeover are the last failover. Pure.
 */
public final class HaLeaseStatus {
  public static final String ROLE_LABEL = "lvs.io/role";
  public static final String ROLE = "ha-vip";
  static final String TIME = "lvs.io/failover-time";
  static final String FROM = "lvs.io/failover-from";
  static final String REASON = "lvs.io/failover-reason";

  private HaLeaseStatus() {}

  /** The active director (null while the Lease names nobody) and the last failover (null before any). */
  public record Ha(String activeDirector, LastFailover lastFailover) {}

  /** The agents' Lease name for a VIP, as the node agent's VipLeaseClient names it. */
  public static String leaseName(String vip) {
    return "lvs-ha-vip-" + vip.replace('.', '-').replace(':', '-');
  }

  public static Ha of(Lease lease) {
    String holder = lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    String active = holder == null || holder.isBlank() ? null : holder;
    Map<String, String> a = lease.getMetadata().getAnnotations() == null ? Map.of() : lease.getMetadata().getAnnotations();
    String time = a.get(TIME);
    if (time == null) {
      return new Ha(active, null);
    }
    // the holder records its own takeover on the Lease naming it: "to" is that holder (absent for
    // the moment a preempted holder has released and the preferred one not yet taken it)
    String from = a.get(FROM);
    return new Ha(active, new LastFailover(time, from == null || from.isBlank() ? null : from,
        active == null ? null : active, a.get(REASON)));
  }

  /** The status with the HA fields; the node summary's active director follows the Lease too. */
  public static VirtualServiceStatus apply(VirtualServiceStatus s, Ha ha) {
    NodeSummary n = s.nodes();
    NodeSummary nodes = n == null ? null : new NodeSummary(n.programmed(), n.total(), n.summary(), ha.activeDirector(), n.errors());
    return new VirtualServiceStatus(s.observedGeneration(), s.conditions(), s.ports(), s.readyRealServers(),
        s.realServers(), nodes, ha.activeDirector(), ha.lastFailover());
  }
}
