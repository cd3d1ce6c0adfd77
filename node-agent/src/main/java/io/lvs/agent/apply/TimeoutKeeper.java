package io.lvs.agent.apply;

import io.lvs.agent.diff.TimeoutPlan;
import io.lvs.agent.ipvs.IpvsClient;
import io.lvs.agent.ipvs.IpvsTimeouts;
import io.lvs.agent.ownership.OwnedTimeouts;
import io.lvs.api.v1alpha1.NodeTimeouts;
import io.lvs.api.v1alpha1.TimeoutsReport;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the node's IPVS connection timeouts (ipvsadm --set) at what its LvsNodeConfig says: sets
 * only the timeouts configured, records the kernel's value of each in the owned set before the
 * first change, and restores it when no configuration sets it any more (also after a restart:
 * the originals are on disk). Not thread-safe: called from the sync loop only.
 */
public final class TimeoutKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(TimeoutKeeper.class);
  private final IpvsClient ipvs;
  private final Applier applier;

  /** @param applier whose owned set (and store) holds the originals */
  public TimeoutKeeper(IpvsClient ipvs, Applier applier) {
    this.ipvs = Objects.requireNonNull(ipvs, "ipvs");
    this.applier = Objects.requireNonNull(applier, "applier");
  }

  /**
   * Converges the kernel's timeouts on {@code wanted} (null: none configured). Returns what to
   * report, or null when nothing is configured and nothing is owed a restore (then not even a
   * read goes to the kernel).
   */
  public TimeoutsReport apply(NodeTimeouts wanted) {
    OwnedTimeouts owned = applier.owned().timeouts();
    if (wanted == null && owned.isEmpty()) {
      return null;
    }
    String config = wanted == null ? null : wanted.config();
    try {
      IpvsTimeouts kernel = ipvs.timeouts();
      TimeoutPlan plan = TimeoutPlan.of(wantedOf(wanted), kernel, owned);
      applier.recordTimeouts(plan.record());
      IpvsTimeouts now = kernel;
      if (plan.changesKernel()) {
        ipvs.setTimeouts(plan.set());
        now = ipvs.timeouts();
        LOG.atInfo().addKeyValue("config", config).addKeyValue("set", plan.set()).addKeyValue("kernel", now)
            .log("IPVS timeouts changed");
      }
      applier.recordTimeouts(plan.after());
      return report(config, wanted, now, null);
    } catch (RuntimeException e) {
      String error = "set IPVS timeouts: " + (e.getMessage() == null ? e.toString() : e.getMessage());
      LOG.atWarn().addKeyValue("config", config).addKeyValue("error", error).log("IPVS timeouts not applied");
      return report(config, wanted, null, error);
    }
  }

  /** The configured timeouts as the kernel's set-config takes them: 0 = not configured. */
  public static IpvsTimeouts wantedOf(NodeTimeouts t) {
    return t == null ? new IpvsTimeouts(0, 0, 0)
        : new IpvsTimeouts(orZero(t.tcpSeconds()), orZero(t.tcpFinSeconds()), orZero(t.udpSeconds()));
  }

  /** Applied: the kernel holds every configured timeout. */
  static TimeoutsReport report(String config, NodeTimeouts wanted, IpvsTimeouts now, String error) {
    Boolean applied = null;
    if (wanted != null) {
      IpvsTimeouts w = wantedOf(wanted);
      applied = error == null && now != null && holds(w.tcpSeconds(), now.tcpSeconds())
          && holds(w.tcpFinSeconds(), now.tcpFinSeconds()) && holds(w.udpSeconds(), now.udpSeconds());
    }
    return new TimeoutsReport(config, applied, now == null ? null : now.tcpSeconds(),
        now == null ? null : now.tcpFinSeconds(), now == null ? null : now.udpSeconds(), error);
  }

  private static boolean holds(int wanted, int kernel) {
    return wanted == 0 || wanted == kernel;
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }
}
