package io.lvs.agent.runtime.ha;

import io.lvs.agent.ha.SyncDaemonRoles;
import io.lvs.agent.ipvs.IpvsClient;
import io.lvs.agent.ipvs.SyncDaemon;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link SyncDaemonRoles}' steps to the kernel: starts and stops the IPVS sync daemons this
 * agent owns (recorded in the {@link HaLedger}), reports foreign ones and leaves them alone.
 * Election thread only.
 */
public final class SyncDaemonSteps {
  private static final Logger LOG = LoggerFactory.getLogger(SyncDaemonSteps.class);
  private final IpvsClient ipvs;
  private final HaLedger ledger;
  private List<SyncDaemon> running = List.of();
  private Set<SyncDaemonRoles.Op> reported = Set.of();

  public SyncDaemonSteps(IpvsClient ipvs, HaLedger ledger) {
    this.ipvs = Objects.requireNonNull(ipvs, "ipvs");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
  }

  /** One pass; what the kernel runs afterwards. A failed step is thrown (retried on the next pass). */
  public List<SyncDaemon> apply(boolean enabled, boolean holding, String iface, int syncId) {
    if (!enabled && ledger.daemons().isEmpty()) {
      running = List.of();
      return running; // nothing wanted, nothing of ours to stop: no need to ask the kernel
    }
    List<SyncDaemonRoles.Op> ops = SyncDaemonRoles.plan(enabled, holding, iface, syncId, ipvs.daemons(), ledger.daemons());
    for (SyncDaemonRoles.Op op : ops) {
      if (op instanceof SyncDaemonRoles.Op.Stop s) {
        ipvs.stopDaemon(s.state());
        ledger.daemon(s.state(), false);
        LOG.atInfo().addKeyValue("event", "ha_sync_daemon_stopped").addKeyValue("state", s.state()).log("sync daemon stopped");
      } else if (op instanceof SyncDaemonRoles.Op.Start s) {
        ledger.daemon(s.daemon().state(), true); // first: a crash after the start must still find it ours
        try {
          ipvs.startDaemon(s.daemon());
        } catch (RuntimeException e) {
          ledger.daemon(s.daemon().state(), false);
          throw e;
        }
        LOG.atInfo().addKeyValue("event", "ha_sync_daemon_started").addKeyValue("state", s.daemon().state())
            .addKeyValue("interface", s.daemon().interfaceName()).addKeyValue("syncId", s.daemon().syncId())
            .log("sync daemon started");
      } else if (op instanceof SyncDaemonRoles.Op.Foreign f && !reported.contains(op)) {
        LOG.atWarn().addKeyValue("event", "ha_sync_daemon_foreign").addKeyValue("daemon", f.running())
            .log("a sync daemon this agent did not start runs; left as is");
      }
    }
    reported = Set.copyOf(ops.stream().filter(o -> o instanceof SyncDaemonRoles.Op.Foreign).toList());
    running = ipvs.daemons();
    return running;
  }

  public List<SyncDaemon> running() {
    return running;
  }
}
