package io.lvs.agent.runtime;

import io.lvs.agent.ipvs.NetlinkIpvsClient;
import io.lvs.agent.nft.NetlinkNftClient;
import io.lvs.agent.ownership.FileOwnershipStore;
import io.lvs.agent.ownership.OwnershipStore;
import io.lvs.agent.rtnl.NetlinkRtnlClient;
import io.lvs.agent.sysctl.ProcSysctl;
import java.nio.file.Path;

/** The real kernel clients (netlink, /proc/sys) and the on-disk ownership store, for AgentMain. */
public final class ProductionKernel {
  private ProductionKernel() {}

  /** IPVS over generic netlink, rtnetlink, /proc/sys, all in the agent's own network namespace (the host's). */
  public static KernelClients open() {
    NetlinkIpvsClient ipvs = NetlinkIpvsClient.open(null);
    try {
      return new KernelClients(ipvs, NetlinkRtnlClient.open(null), new ProcSysctl());
    } catch (RuntimeException e) {
      ipvs.close();
      throw e;
    }
  }

  /** SNAT through nftables (the agent's own table). */
  public static SnatProgrammer snat() {
    return new NftSnatProgrammer(NetlinkNftClient.open(null));
  }

  /**
   * fwmark marking rules through nftables: directors' in the agent's own table (not the SNAT one),
   * in-cluster clients' in their own tables with the policy route (docs/in-cluster.md).
   */
  public static MarkProgrammer marks() {
    return new ClientTrafficProgrammer(new NftMarkProgrammer(io.lvs.agent.nft.NetlinkMarkClient.open(null)),
        io.lvs.agent.nft.NetlinkClientTrafficClient.open(null));
  }

  /**
   * Pod real servers' namespaces, found among /proc/PID/ns/net and /run/netns, with one owned set
   * per pod namespace under LVS_STATE_DIR/pods.
   */
  public static io.lvs.agent.podnet.PodNamespaces pods(Path stateDir) {
    return new io.lvs.agent.podnet.PodNetnsSync(io.lvs.agent.podnet.NetnsScanner.host(), stateDir.resolve("pods"));
  }

  /** LVS_STATE_DIR/owned.json: what this agent created, so a restarted agent knows its own objects. */
  public static OwnershipStore ownershipStore(Path stateDir) {
    return new FileOwnershipStore(stateDir);
  }
}
