package io.lvs.agent.apply;

import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.dataplane.ObservedState;
import io.lvs.agent.ipvs.IpvsClient;
import io.lvs.agent.ownership.OwnedSet;
import io.lvs.agent.rtnl.RtnlClient;
import io.lvs.agent.sysctl.Sysctl;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import io.lvs.agent.model.ObservedService;
import java.util.Map;
import java.util.Set;

/** Reads what the kernel holds: one IPVS dump, one address and one link dump, and the sysctls in play. */
public final class KernelObserver {
  private final IpvsClient ipvs;
  private final RtnlClient rtnl;
  private final Sysctl sysctl;

  public KernelObserver(IpvsClient ipvs, RtnlClient rtnl, Sysctl sysctl) {
    this.ipvs = ipvs;
    this.rtnl = rtnl;
    this.sysctl = sysctl;
  }

  /** Sysctls are read only for the keys wanted or owned: /proc/sys holds thousands. */
  public ObservedState observe(DesiredState desired, OwnedSet owned) {
    Set<String> keys = new LinkedHashSet<>(desired.sysctls().keySet());
    keys.addAll(owned.sysctls().keySet());
    return new ObservedState(ipvs.dump(), rtnl.addresses(), rtnl.links(), sysctls(keys));
  }

  /** {@link #observe} with the IPVS table already read (by a {@link TableCheck}). */
  public ObservedState observe(DesiredState desired, OwnedSet owned, List<ObservedService> ipvsTable) {
    Set<String> keys = new LinkedHashSet<>(desired.sysctls().keySet());
    keys.addAll(owned.sysctls().keySet());
    return new ObservedState(ipvsTable, rtnl.addresses(), rtnl.links(), sysctls(keys));
  }

  /** The current values of some sysctls; a key this kernel lacks is absent from the map. */
  public Map<String, String> sysctls(Iterable<String> keys) {
    Map<String, String> values = new HashMap<>();
    for (String k : keys) {
      sysctl.read(k).ifPresent(v -> values.put(k, v));
    }
    return values;
  }
}
