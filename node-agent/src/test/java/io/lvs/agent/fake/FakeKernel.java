package io.lvs.agent.fake;

import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.rtnl.RtnlClient;
import java.util.List;
import java.util.Map;

/**
 * One node's kernel for tests: IPVS, rtnetlink and sysctl fakes that key objects the way the
 * kernel does and refuse what it refuses, with errors injectable through {@link #faults()}.
 */
public final class FakeKernel {
  private final Faults faults = new Faults();
  private final FakeSysctl sysctl = new FakeSysctl();
  private final FakeIpvs ipvs = new FakeIpvs(faults);
  private final FakeRtnl rtnl = new FakeRtnl(faults, sysctl);

  public FakeIpvs ipvs() {
    return ipvs;
  }

  public FakeRtnl rtnl() {
    return rtnl;
  }

  public FakeSysctl sysctl() {
    return sysctl;
  }

  public Faults faults() {
    return faults;
  }

  /** Kernel calls that changed or tried to change something. */
  public int mutations() {
    return ipvs.mutations() + rtnl.mutations() + sysctl.writes();
  }

  /** Everything the kernel holds, comparable with equals (counters excluded). */
  public Snapshot snapshot() {
    return new Snapshot(ipvs.dump(), rtnl.addresses(), rtnl.links(), sysctl.all());
  }

  public record Snapshot(
      List<ObservedService> services,
      List<InterfaceAddress> addresses,
      List<RtnlClient.Link> links,
      Map<String, String> sysctls) {}
}
