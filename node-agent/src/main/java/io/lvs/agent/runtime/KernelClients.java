package io.lvs.agent.runtime;

import io.lvs.agent.ipvs.IpvsClient;
import io.lvs.agent.rtnl.RtnlClient;
import io.lvs.agent.sysctl.Sysctl;
import java.util.Objects;

/** The kernel as the agent reaches it: IPVS (generic netlink), rtnetlink, /proc/sys. */
public record KernelClients(IpvsClient ipvs, RtnlClient rtnl, Sysctl sysctl) {
  public KernelClients {
    Objects.requireNonNull(ipvs, "ipvs");
    Objects.requireNonNull(rtnl, "rtnl");
    Objects.requireNonNull(sysctl, "sysctl");
  }
}
