package io.lvs.agent.runtime;

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

  public static OwnershipStore ownershipStore(Path stateDir) {
    throw new IllegalStateException("file ownership store for " + stateDir + " is not in this build yet");
  }
}
