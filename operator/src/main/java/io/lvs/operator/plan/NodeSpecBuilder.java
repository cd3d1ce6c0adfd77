package io.lvs.operator.plan;

import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeAddress;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.NodeLink;
import io.lvs.api.v1alpha1.NodeMark;
import io.lvs.api.v1alpha1.NodeSnat;
import io.lvs.api.v1alpha1.NodeSysctl;
import io.lvs.api.v1alpha1.NodeVipCandidate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Collects one node's entries and freezes them in a canonical order, so two plans of the same
 * input are equal and the writer can compare before it writes. Duplicates (the same sysctl asked
 * twice by one owner) collapse.
 */
final class NodeSpecBuilder {
  private final String node;
  private final List<NodeIpvsService> services = new ArrayList<>();
  private final Set<NodeAddress> addresses = new LinkedHashSet<>();
  private final Set<NodeLink> links = new LinkedHashSet<>();
  private final Set<NodeSysctl> sysctls = new LinkedHashSet<>();
  private final List<NodeSnat> snat = new ArrayList<>();
  private final Set<NodeMark> marks = new LinkedHashSet<>();
  private final Set<NodeVipCandidate> candidates = new LinkedHashSet<>();

  NodeSpecBuilder(String node) {
    this.node = node;
  }

  void service(NodeIpvsService s) {
    services.add(s);
  }

  void address(NodeAddress a) {
    addresses.add(a);
  }

  void link(NodeLink l) {
    links.add(l);
  }

  void sysctl(String owner, String key, String value) {
    sysctls.add(new NodeSysctl(owner, key, value));
  }

  void snat(NodeSnat s) {
    snat.add(s);
  }

  void mark(NodeMark m) {
    marks.add(m);
  }

  void vipCandidate(NodeVipCandidate c) {
    candidates.add(c);
  }

  LvsNodeStateSpec build() {
    List<NodeIpvsService> svc = new ArrayList<>(services);
    svc.sort(
        Comparator.comparing(NodeIpvsService::owner)
            .thenComparing(s -> Objects.toString(s.vip(), ""))
            .thenComparing(s -> s.port() == null ? 0 : s.port())
            .thenComparing(s -> Objects.toString(s.protocol(), ""))
            .thenComparing(s -> s.fwmark() == null ? 0L : s.fwmark())
            .thenComparing(s -> s.inCluster() != null)); // a director's and a client's service of one port
    List<NodeAddress> addr = new ArrayList<>(addresses);
    addr.sort(
        Comparator.comparing(NodeAddress::owner)
            .thenComparing(NodeAddress::address)
            .thenComparing(a -> Objects.toString(a.interfaceName(), "")));
    List<NodeLink> lnk = new ArrayList<>(links);
    lnk.sort(Comparator.comparing(NodeLink::owner).thenComparing(NodeLink::name));
    List<NodeSysctl> sys = new ArrayList<>(sysctls);
    sys.sort(Comparator.comparing(NodeSysctl::owner).thenComparing(NodeSysctl::key));
    List<NodeSnat> sn = new ArrayList<>(snat);
    sn.sort(
        Comparator.comparing(NodeSnat::owner)
            .thenComparing(s -> Objects.toString(s.protocol(), ""))
            .thenComparing(s -> s.port() == null ? 0 : s.port()));
    List<NodeMark> mk = new ArrayList<>(marks);
    mk.sort(
        Comparator.comparing(NodeMark::owner)
            .thenComparing(NodeMark::address)
            .thenComparing(m -> Objects.toString(m.protocol(), ""))
            .thenComparing(m -> m.port() == null ? 0 : m.port()));
    List<NodeVipCandidate> vc = new ArrayList<>(candidates);
    vc.sort(Comparator.comparing(NodeVipCandidate::owner).thenComparing(NodeVipCandidate::address));
    // no marks or candidates: null, as before they existed, so specs of other services stay equal to theirs
    return new LvsNodeStateSpec(node, svc, addr, lnk, sys, sn, mk.isEmpty() ? null : List.copyOf(mk), null,
        vc.isEmpty() ? null : List.copyOf(vc));
  }
}
