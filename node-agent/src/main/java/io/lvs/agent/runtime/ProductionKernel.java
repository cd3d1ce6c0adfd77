package io.lvs.agent.runtime;

import io.lvs.agent.ownership.FileOwnershipStore;
import io.lvs.agent.ownership.OwnershipStore;
import java.nio.file.Path;

/** The real kernel clients (netlink, /proc/sys) and the on-disk ownership store, for AgentMain. */
public final class ProductionKernel {
  private ProductionKernel() {}

  public static KernelClients open() {
    // NetlinkIpvsClient / NetlinkRtnlClient / ProcSysctl are being written (helper "kernel");
    // wired here as soon as they are on main.
    throw new IllegalStateException("netlink kernel clients are not in this build yet");
  }

  /** LVS_STATE_DIR/owned.json: what this agent created, so a restarted agent knows its own objects. */
  public static OwnershipStore ownershipStore(Path stateDir) {
    return new FileOwnershipStore(stateDir);
  }
}
