package io.lvs.agent.fake;

import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.netlink.Errno;
import io.lvs.agent.rtnl.RtnlClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Links and addresses in memory, keyed as the kernel keys them: a link by name, an address by
 * (interface, address, prefix length) (IPv4 refuses the same local address and mask twice on one
 * interface with EEXIST). Adding an address to a missing link is ENODEV, deleting one that is not
 * there EADDRNOTAVAIL; deleting a link drops its addresses and its conf.* sysctls. Starts with lo.
 */
public final class FakeRtnl implements RtnlClient {
  static final Set<String> KINDS = Set.of("dummy", "ipip");

  private final Faults faults;
  private final FakeSysctl sysctl;
  private final Map<String, Link> links = new LinkedHashMap<>();
  private final Set<InterfaceAddress> addresses = new LinkedHashSet<>();
  private final List<InterfaceAddress> announced = new java.util.ArrayList<>();
  private int nextIndex = 1;
  private int mutations;

  FakeRtnl(Faults faults, FakeSysctl sysctl) {
    this.faults = faults;
    this.sysctl = sysctl;
    createLink("lo", null, true);
  }

  public int mutations() {
    return mutations;
  }

  /** A link that exists before the agent starts (eth0, or tunl0 made by loading ipip). */
  public void createLink(String name, String kind, boolean up) {
    links.put(name, new Link(nextIndex++, name, kind, up));
    sysctl.linkAdded(name);
  }

  @Override
  public List<InterfaceAddress> addresses() {
    return List.copyOf(addresses);
  }

  @Override
  public void addAddress(InterfaceAddress a) {
    mutate("add address", a.toString());
    if (!links.containsKey(a.interfaceName())) {
      throw Errno.exception("add address", a.toString(), Errno.ENODEV, null);
    }
    if (!addresses.add(a)) {
      throw Errno.exception("add address", a.toString(), Errno.EEXIST, null);
    }
  }

  @Override
  public void announce(InterfaceAddress a) {
    if (!addresses.contains(a)) {
      throw new IllegalStateException("announce " + a + " before it was added");
    }
    announced.add(a);
  }

  /** Every announce(), in order. */
  public List<InterfaceAddress> announced() {
    return List.copyOf(announced);
  }

  @Override
  public void deleteAddress(InterfaceAddress a) {
    mutate("delete address", a.toString());
    if (!addresses.remove(a)) {
      throw Errno.exception("delete address", a.toString(), Errno.EADDRNOTAVAIL, null);
    }
  }

  @Override
  public Optional<Integer> linkIndex(String name) {
    return Optional.ofNullable(links.get(name)).map(Link::index);
  }

  @Override
  public List<Link> links() {
    return new ArrayList<>(links.values());
  }

  @Override
  public void addLink(String name, String kind) {
    mutate("add link", name);
    if (links.containsKey(name)) {
      throw Errno.exception("add link", name, Errno.EEXIST, null);
    }
    if (!KINDS.contains(kind)) {
      throw Errno.exception("add link", name + " kind " + kind, Errno.EOPNOTSUPP, null);
    }
    createLink(name, kind, false);
  }

  @Override
  public void deleteLink(String name) {
    mutate("delete link", name);
    if (links.remove(name) == null) {
      throw Errno.exception("delete link", name, Errno.ENODEV, null);
    }
    addresses.removeIf(a -> a.interfaceName().equals(name));
    sysctl.linkRemoved(name);
  }

  @Override
  public void setLinkUp(String name) {
    mutate("set link up", name);
    Link l = links.get(name);
    if (l == null) {
      throw Errno.exception("set link up", name, Errno.ENODEV, null);
    }
    links.put(name, new Link(l.index(), name, l.kind(), true));
  }

  private void mutate(String op, String obj) {
    mutations++;
    faults.check(op, obj);
  }
}
