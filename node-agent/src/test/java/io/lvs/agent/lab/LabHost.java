package io.lvs.agent.lab;

import io.lvs.agent.apply.Applier;
import io.lvs.agent.apply.ApplyReport;
import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.diff.Differ;
import io.lvs.agent.ipvs.NetlinkIpvsClient;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.ownership.FileOwnershipStore;
import io.lvs.agent.rtnl.NetlinkRtnlClient;
import io.lvs.agent.sysctl.ProcSysctl;
import java.nio.file.Path;
import java.util.List;

/**
 * One lab host (a network namespace) running the agent's dataplane: the netlink clients are opened
 * on a thread inside the namespace and /proc/sys is read there, so the Applier programs exactly
 * that host. Its owned set lives in its own state directory, as LVS_STATE_DIR would.
 */
public final class LabHost implements AutoCloseable {
  private final String netns;
  private final Path stateDir;
  private final NetnsThread thread;
  private final NetlinkIpvsClient ipvs;
  private final NetlinkRtnlClient rtnl;
  private Applier applier;

  public LabHost(String netns, Path stateDir) {
    this.netns = netns;
    this.stateDir = stateDir;
    this.thread = new NetnsThread(netns);
    this.ipvs = thread.call(() -> NetlinkIpvsClient.open(null));
    this.rtnl = thread.call(() -> NetlinkRtnlClient.open(null));
    this.applier = newApplier();
  }

  private Applier newApplier() {
    return new Applier(ipvs, rtnl, new ProcSysctl(), new FileOwnershipStore(stateDir), new Differ());
  }

  /** A new Applier on the same state directory: what a restarted agent would have. */
  public void restartAgent() {
    applier = newApplier();
  }

  public ApplyReport apply(DesiredState desired) {
    return thread.call(() -> applier.apply(desired));
  }

  public ApplyReport deleteAll() {
    return thread.call(() -> applier.deleteAll());
  }

  public List<ObservedService> ipvsDump() {
    return thread.call(ipvs::dump);
  }

  public <T> T inside(java.util.concurrent.Callable<T> task) {
    return thread.call(task);
  }

  public String netns() {
    return netns;
  }

  @Override
  public void close() {
    thread.call(() -> {
      ipvs.close();
      rtnl.close();
      return null;
    });
    thread.close();
  }
}
