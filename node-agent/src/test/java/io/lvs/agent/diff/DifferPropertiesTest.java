package io.lvs.agent.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.apply.Applier;
import io.lvs.agent.apply.ApplyReport;
import io.lvs.agent.dataplane.DesiredDestination;
import io.lvs.agent.dataplane.DesiredService;
import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.dataplane.ObservedState;
import io.lvs.agent.fake.FakeKernel;
import io.lvs.agent.fake.Fixtures;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.ownership.OwnedSet;
import io.lvs.agent.ownership.OwnershipStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The differ's laws over random desired states, random earlier states (what the agent owns) and
 * random foreign objects (kube-proxy's services, hand-made addresses, tuned sysctls), drawn from
 * small pools so keys collide often. Run on the fake kernel through the real applier.
 */
class DifferPropertiesTest {
  static final List<String> VIPS = List.of("198.18.0.100", "198.18.0.101", "198.18.0.102");
  static final List<String> RS = List.of("198.18.1.1", "198.18.1.2", "198.18.1.3");
  static final List<String> SYSCTLS = List.of(
      "net.ipv4.ip_forward", "net.ipv4.vs.conntrack", "net.ipv4.conf.all.arp_ignore",
      "net.ipv4.conf.all.arp_announce", "net.ipv4.conf.lo.arp_ignore");

  /** Foreign objects, created before the agent first runs. */
  record Foreign(List<ObservedService> services, List<InterfaceAddress> addresses, Map<String, String> sysctls) {
    void install(FakeKernel k) {
      for (ObservedService s : services) {
        if (k.ipvs().dump().stream().noneMatch(o -> o.service().key().equals(s.service().key()))) {
          k.ipvs().addService(s.service());
          for (ObservedDestination d : s.destinations()) {
            if (k.ipvs().dump().stream().filter(o -> o.service().key().equals(s.service().key()))
                .flatMap(o -> o.destinations().stream()).noneMatch(o -> o.destination().key().equals(d.destination().key()))) {
              k.ipvs().addDestination(s.service().key(), d.destination());
            }
          }
        }
      }
      addresses.stream().distinct().forEach(a -> k.rtnl().addAddress(a));
      sysctls.forEach((key, v) -> k.sysctl().preset(key, v));
    }
  }

  @Property(tries = 300)
  void applyConvergesOnTheDesiredStateAndLeavesForeignObjectsAlone(
      @ForAll("foreign") Foreign foreign, @ForAll("states") DesiredState earlier, @ForAll("states") DesiredState desired) {
    FakeKernel kernel = new FakeKernel();
    foreign.install(kernel);
    FakeKernel.Snapshot pristine = kernel.snapshot();
    OwnershipStore store = OwnershipStore.inMemory();
    Applier applier = new Applier(kernel.ipvs(), kernel.rtnl(), kernel.sysctl(), store, new Differ());

    applier.apply(earlier);
    ApplyReport report = applier.apply(desired);

    assertThat(report.problems()).isEmpty();
    ObservedState after = applier.observe(desired);
    // converged: nothing left to do (plan(x, x) is empty)
    assertThat(new Differ().plan(desired, after, store.load()).operations()).isEmpty();
    Set<ServiceKey> foreignKeys = foreign.services().stream().map(s -> s.service().key()).collect(Collectors.toSet());
    Map<ServiceKey, ObservedService> kernelServices = after.services();
    Map<ServiceKey, ObservedService> pristineServices = byKey(pristine.services());
    for (DesiredService d : desired.services().values()) {
      ObservedService seen = kernelServices.get(d.key());
      assertThat(seen).isNotNull();
      if (foreignKeys.contains(d.key())) {
        assertThat(seen).isEqualTo(pristineServices.get(d.key())); // a conflict: untouched
        continue;
      }
      assertThat(seen.service().scheduler()).isEqualTo(d.service().scheduler());
      Map<DestinationKey, Destination> dests = new HashMap<>();
      seen.destinations().forEach(o -> dests.put(o.destination().key(), o.destination()));
      for (DesiredDestination dd : d.destinations().values()) {
        if (dd.draining()) {
          assertThat(dests.get(dd.destination().key())).isIn(null, dd.kernelDestination());
        } else {
          assertThat(dests.get(dd.destination().key())).isEqualTo(dd.destination());
        }
      }
      assertThat(dests.keySet()).isSubsetOf(d.destinations().keySet());
    }
    // every service the agent does not want now is foreign and exactly as it was
    kernelServices.forEach((k, s) -> {
      if (!desired.services().containsKey(k)) {
        assertThat(s).isEqualTo(pristineServices.get(k));
      }
    });
    for (InterfaceAddress a : desired.addresses().keySet()) {
      assertThat(after.addresses()).contains(a);
    }
    for (InterfaceAddress a : after.addresses()) {
      assertThat(desired.addresses().containsKey(a) || pristine.addresses().contains(a)).as(a.toString()).isTrue();
    }
    desired.sysctls().forEach((k, v) -> assertThat(kernel.sysctl().read(k)).contains(v.value()));
    kernel.sysctl().all().forEach((k, v) -> {
      if (!desired.sysctls().containsKey(k)) {
        // keys of a link the agent created (conf.dummy0.*) were not there before
        assertThat(pristine.sysctls().containsKey(k) ? v : "made with " + k.split("\\.")[3])
            .as(k).isIn(pristine.sysctls().get(k), "made with dummy0");
      }
    });
  }

  @Property(tries = 300)
  void deleteAllRestoresTheKernelAsTheAgentFoundIt(
      @ForAll("foreign") Foreign foreign, @ForAll("states") DesiredState first, @ForAll("states") DesiredState second) {
    FakeKernel kernel = new FakeKernel();
    foreign.install(kernel);
    FakeKernel.Snapshot pristine = kernel.snapshot();
    OwnershipStore store = OwnershipStore.inMemory();
    Applier applier = new Applier(kernel.ipvs(), kernel.rtnl(), kernel.sysctl(), store, new Differ());

    applier.apply(first);
    applier.apply(second);
    ApplyReport removal = applier.deleteAll();

    assertThat(removal.problems()).isEmpty();
    assertThat(kernel.snapshot()).isEqualTo(pristine);
    assertThat(store.load()).isEqualTo(OwnedSet.EMPTY);
  }

  @Property(tries = 200)
  void aRestartedAgentChangesNothingWhenNothingChanged(
      @ForAll("foreign") Foreign foreign, @ForAll("states") DesiredState desired) {
    FakeKernel kernel = new FakeKernel();
    foreign.install(kernel);
    OwnershipStore store = OwnershipStore.inMemory();
    new Applier(kernel.ipvs(), kernel.rtnl(), kernel.sysctl(), store, new Differ()).apply(desired);
    int mutations = kernel.mutations();

    ApplyReport again = new Applier(kernel.ipvs(), kernel.rtnl(), kernel.sysctl(), store, new Differ()).apply(desired);

    assertThat(again.plan().operations()).isEmpty();
    assertThat(kernel.mutations()).isEqualTo(mutations);
  }

  @Property(tries = 300)
  void anIncrementalApplyEndsWhereAFullOneDoes(
      @ForAll("foreign") Foreign foreign, @ForAll("states") DesiredState earlier, @ForAll("states") DesiredState desired) {
    FakeKernel full = new FakeKernel();
    FakeKernel incremental = new FakeKernel();
    foreign.install(full);
    foreign.install(incremental);
    Applier a = new Applier(full.ipvs(), full.rtnl(), full.sysctl(), OwnershipStore.inMemory(), new Differ());
    OwnershipStore store = OwnershipStore.inMemory();
    Applier b = new Applier(incremental.ipvs(), incremental.rtnl(), incremental.sysctl(), store, new Differ());
    a.apply(earlier);
    b.apply(earlier);

    ApplyReport viaFull = a.apply(desired);
    ApplyReport viaChanges = b.applyChanges(desired);

    assertThat(incremental.snapshot()).isEqualTo(full.snapshot());
    assertThat(viaChanges.owned()).isEqualTo(viaFull.owned());
    assertThat(viaChanges.conflicts()).containsExactlyInAnyOrderElementsOf(viaFull.conflicts());
    assertThat(b.dryRun(desired).operations()).isEmpty();
    assertThat(b.applyChanges(desired).results()).isEmpty();
  }

  @Property(tries = 200)
  void plansAreDeterministic(
      @ForAll("foreign") Foreign foreign, @ForAll("states") DesiredState earlier, @ForAll("states") DesiredState desired) {
    FakeKernel kernel = new FakeKernel();
    foreign.install(kernel);
    OwnershipStore store = OwnershipStore.inMemory();
    Applier applier = new Applier(kernel.ipvs(), kernel.rtnl(), kernel.sysctl(), store, new Differ());
    applier.apply(earlier);
    ObservedState observed = applier.observe(desired);

    Plan a = new Differ().plan(desired, observed, store.load());
    Plan b = new Differ().plan(desired, applier.observe(desired), store.load());

    assertThat(a).isEqualTo(b);
    assertThat(a.operations().stream().map(Operation::phase).toList()).isSorted();
  }

  static Map<ServiceKey, ObservedService> byKey(List<ObservedService> l) {
    Map<ServiceKey, ObservedService> m = new HashMap<>();
    l.forEach(s -> m.put(s.service().key(), s));
    return m;
  }

  static Arbitrary<ServiceKey> serviceKeys() {
    return Combinators.combine(
            Arbitraries.of(IpProtocol.TCP, IpProtocol.UDP), Arbitraries.of(VIPS), Arbitraries.of(80, 443))
        .as((p, a, port) -> ServiceKey.of(p, Fixtures.ip(a), port));
  }

  static Arbitrary<Destination> destinations() {
    return Combinators.combine(
            Arbitraries.of(RS), Arbitraries.of(80, 8080),
            Arbitraries.of(ForwardMethod.DROUTE, ForwardMethod.MASQ, ForwardMethod.TUNNEL),
            Arbitraries.integers().between(0, 4))
        .as((a, port, m, w) -> Destination.of(new DestinationKey(Fixtures.ip(a), port), m, w));
  }

  static Arbitrary<IpvsService> services() {
    return Combinators.combine(serviceKeys(), Arbitraries.of("rr", "wrr", "lc"), Arbitraries.of(0, IpvsService.F_PERSISTENT))
        .as((k, sched, flags) -> new IpvsService(k, sched, flags, flags == 0 ? 0 : 300, flags == 0 ? 0 : 32));
  }

  static Arbitrary<DesiredService> desiredServices() {
    Arbitrary<DesiredDestination> dd = Combinators.combine(destinations(), Arbitraries.integers().between(0, 5))
        .as((d, n) -> new DesiredDestination(d, n == 0));
    return Combinators.combine(Arbitraries.of("ns/a", "ns/b"), services(), dd.list().ofMaxSize(4).uniqueElements(d -> d.destination().key()))
        .as((owner, s, ds) -> DesiredService.of(owner, s, ds));
  }

  @Provide
  Arbitrary<DesiredState> states() {
    Arbitrary<List<DesiredService>> services = desiredServices().list().ofMaxSize(4);
    Arbitrary<List<String>> vips = Arbitraries.of(VIPS).list().ofMaxSize(2);
    Arbitrary<Map<String, String>> sysctls = Arbitraries.maps(Arbitraries.of(SYSCTLS), Arbitraries.of("0", "1", "2")).ofMaxSize(3);
    Arbitrary<Boolean> dummy = Arbitraries.of(true, false);
    return Combinators.combine(services, vips, sysctls, dummy).as((ss, vs, sy, withDummy) -> {
      DesiredState.Builder b = DesiredState.builder();
      ss.forEach(b::service);
      vs.forEach(v -> b.address(Fixtures.vip(v, "lo"), "ns/a", false));
      sy.forEach((k, v) -> b.sysctl(k, v, "ns/a"));
      if (withDummy) {
        b.link("dummy0", "dummy", "ns/b").address(Fixtures.vip("198.18.0.200", "dummy0"), "ns/b", true)
            .sysctl("net.ipv4.conf.dummy0.arp_ignore", "1", "ns/b");
      }
      return b.build();
    });
  }

  @Provide
  Arbitrary<Foreign> foreign() {
    Arbitrary<ObservedService> svc = Combinators.combine(
            services(), destinations().list().ofMaxSize(2).uniqueElements(Destination::key))
        .as((s, ds) -> new ObservedService(s, null, ds.stream()
            .map(d -> new ObservedDestination(d, 0, 0, 0, null)).toList()));
    return Combinators.combine(
            svc.list().ofMaxSize(2).uniqueElements(s -> s.service().key()),
            Arbitraries.of(VIPS).map(v -> Fixtures.vip(v, "lo")).list().ofMaxSize(1),
            Arbitraries.maps(Arbitraries.of(SYSCTLS), Arbitraries.of("0", "1", "2")).ofMaxSize(2))
        .as(Foreign::new);
  }
}
