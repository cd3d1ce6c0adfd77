package io.lvs.agent.diff;

import static io.lvs.agent.fake.Fixtures.desired;
import static io.lvs.agent.fake.Fixtures.dest;
import static io.lvs.agent.fake.Fixtures.draining;
import static io.lvs.agent.fake.Fixtures.rs;
import static io.lvs.agent.fake.Fixtures.service;
import static io.lvs.agent.fake.Fixtures.tcp;
import static io.lvs.agent.fake.Fixtures.udp;
import static io.lvs.agent.fake.Fixtures.vip;
import static io.lvs.agent.fake.Fixtures.want;
import static io.lvs.agent.model.ForwardMethod.DROUTE;
import static io.lvs.agent.model.ForwardMethod.MASQ;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.apply.Applier;
import io.lvs.agent.apply.ApplyReport;
import io.lvs.agent.apply.ConnectionDrainer;
import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.dataplane.ObjectRef;
import io.lvs.agent.diff.Operation.Phase;
import io.lvs.agent.fake.FakeKernel;
import io.lvs.agent.fake.MutableClock;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.ownership.OwnershipStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The differ's order, minimality, ownership and draining, planned against a fake kernel. */
class DifferTest {
  static final ServiceKey WEB = tcp("198.18.0.100", 80);
  static final ServiceKey KUBE = tcp("198.18.9.1", 443);

  final FakeKernel kernel = new FakeKernel();
  final MutableClock clock = new MutableClock();
  final ConnectionDrainer drainer = new ConnectionDrainer(clock);
  final Differ differ = new Differ(drainer);
  final OwnershipStore store = OwnershipStore.inMemory();
  final Applier applier = new Applier(kernel.ipvs(), kernel.rtnl(), kernel.sysctl(), store, differ);

  Plan plan(DesiredState desired) {
    return applier.dryRun(desired);
  }

  static List<Phase> phases(Plan plan) {
    return plan.operations().stream().map(Operation::phase).toList();
  }

  static DesiredState realServerAndDirector(int weight) {
    return DesiredState.builder()
        .link("tunl0", "ipip", "lab/tun")
        .sysctl("net.ipv4.conf.tunl0.rp_filter", "0", "lab/tun")
        .sysctl("net.ipv4.conf.all.arp_ignore", "1", "lab/dr")
        .sysctl("net.ipv4.conf.all.arp_announce", "2", "lab/dr")
        .address(vip("198.18.0.100", "lo"), "lab/dr", false)
        .service(desired("lab/dr", WEB, "rr", want("198.18.0.11", 80, DROUTE, weight), want("198.18.0.12", 80, DROUTE, 1)))
        .build();
  }

  @Test
  void fromEmptyCreatesLinksThenSysctlsThenAddressesThenServicesThenDestinations() {
    Plan plan = plan(realServerAndDirector(1));

    assertThat(phases(plan)).containsExactly(
        Phase.ADD_LINK, Phase.SET_SYSCTL, Phase.SET_SYSCTL, Phase.SET_SYSCTL, Phase.ADD_ADDRESS,
        Phase.ADD_SERVICE, Phase.ADD_DESTINATION, Phase.ADD_DESTINATION);
    // original null: conf.tunl0.* does not exist until the plan creates tunl0
    assertThat(plan.operations().get(1)).isEqualTo(
        new Operation.SetSysctl("net.ipv4.conf.tunl0.rp_filter", "0", null, java.util.Set.of("lab/tun")));
    assertThat(plan.operations().get(2)).isEqualTo(
        new Operation.SetSysctl("net.ipv4.conf.all.arp_ignore", "1", "0", java.util.Set.of("lab/dr")));
    assertThat(plan.conflicts()).isEmpty();
  }

  @Test
  void planOfTheAppliedStateIsEmptyAndAWeightChangeIsOneEdit() {
    assertThat(applier.apply(realServerAndDirector(1)).fullySucceeded()).isTrue();
    assertThat(plan(realServerAndDirector(1)).operations()).isEmpty();

    Plan plan = plan(realServerAndDirector(3));

    assertThat(plan.operations()).containsExactly(
        new Operation.UpdateDestination(WEB, dest("198.18.0.11", 80, DROUTE, 3), false, "lab/dr"));
  }

  @Test
  void removalDeletesDestinationsThenServicesThenAddressesThenRestoresSysctlsThenLinks() {
    applier.apply(realServerAndDirector(1));
    DesiredState oneDestLeft = DesiredState.builder()
        .address(vip("198.18.0.101", "lo"), "lab/other", false)
        .service(desired("lab/dr", tcp("198.18.0.101", 80), "rr", want("198.18.0.11", 80, DROUTE, 1)))
        .build();
    applier.apply(oneDestLeft);
    DesiredState both = DesiredState.builder()
        .link("tunl0", "ipip", "lab/tun")
        .sysctl("net.ipv4.conf.all.arp_ignore", "1", "lab/dr")
        .address(vip("198.18.0.100", "lo"), "lab/dr", false)
        .service(desired("lab/dr", WEB, "rr", want("198.18.0.11", 80, DROUTE, 1)))
        .service(desired("lab/dr", tcp("198.18.0.101", 80), "rr"))
        .build();
    applier.apply(both);

    Plan plan = plan(DesiredState.EMPTY);

    assertThat(phases(plan)).containsExactly(
        Phase.DELETE_SERVICE, Phase.DELETE_SERVICE, Phase.DELETE_ADDRESS, Phase.RESTORE_SYSCTL,
        Phase.DELETE_LINK);
    Plan partial = plan(DesiredState.builder()
        .service(desired("lab/dr", WEB, "rr"))
        .build());
    assertThat(phases(partial)).startsWith(Phase.DELETE_DESTINATION, Phase.DELETE_SERVICE);
    assertThat(phases(partial)).isSorted();
  }

  @Test
  void neverPlansChangesToForeignServicesAddressesOrSysctls() {
    // kube-proxy's IPVS service and a hand-made one, a hand-made address, a tuned sysctl
    kernel.ipvs().addService(service(KUBE, "rr"));
    kernel.ipvs().addDestination(KUBE, dest("198.18.9.10", 6443, MASQ, 1));
    kernel.ipvs().addService(service(WEB, "wlc"));
    kernel.rtnl().addAddress(vip("198.18.0.100", "lo"));
    kernel.sysctl().preset("net.ipv4.vs.conntrack", "1");
    FakeKernel.Snapshot before = kernel.snapshot();

    DesiredState wantsTheSame = DesiredState.builder()
        .address(vip("198.18.0.100", "lo"), "lab/dr", false)
        .service(desired("lab/dr", WEB, "rr", want("198.18.0.11", 80, DROUTE, 1)))
        .build();
    ApplyReport report = applier.apply(wantsTheSame);

    assertThat(report.plan().operations()).isEmpty();
    assertThat(report.conflicts()).extracting(c -> c.object())
        .containsExactlyInAnyOrder(ObjectRef.address(vip("198.18.0.100", "lo")), ObjectRef.service(WEB));
    assertThat(report.problemsByOwner()).containsOnlyKeys("lab/dr");
    assertThat(applier.deleteAll().plan().operations()).isEmpty();
    assertThat(kernel.snapshot()).isEqualTo(before);
  }

  @Test
  void aForeignDestinationInsideAnOwnedServiceIsLeftAlone() {
    DesiredState one = DesiredState.builder()
        .service(desired("lab/dr", WEB, "rr", want("198.18.0.11", 80, DROUTE, 1)))
        .build();
    applier.apply(one);
    kernel.ipvs().addDestination(WEB, dest("198.18.0.99", 80, DROUTE, 7)); // by hand

    assertThat(plan(one).operations()).isEmpty();
    Plan withoutDests = plan(DesiredState.builder().service(desired("lab/dr", WEB, "rr")).build());
    assertThat(withoutDests.operations()).containsExactly(
        new Operation.DeleteDestination(WEB, rs("198.18.0.11", 80), "lab/dr"));
  }

  @Test
  void serviceAttributesAreEditedButTheKernelsHashedFlagIsNotADifference() {
    applier.apply(DesiredState.builder().service(desired("lab/dr", WEB, "rr")).build());
    assertThat(kernel.ipvs().dump().get(0).service().flags() & IpvsService.F_HASHED).isNotZero();

    Plan plan = plan(DesiredState.builder().service(desired("lab/dr", WEB, "wrr")).build());

    assertThat(plan.operations()).containsExactly(new Operation.UpdateService(service(WEB, "wrr"), "lab/dr"));
  }

  @Test
  void sysctlAlreadyRightIsNeitherWrittenNorOwnedAndOwnedOnesAreRestored() {
    kernel.sysctl().preset("net.ipv4.ip_forward", "1");
    DesiredState nat = DesiredState.builder()
        .sysctl("net.ipv4.ip_forward", "1", "lab/nat")
        .sysctl("net.ipv4.vs.conntrack", "1", "lab/nat")
        .build();
    ApplyReport r = applier.apply(nat);
    assertThat(r.plan().operations()).containsExactly(
        new Operation.SetSysctl("net.ipv4.vs.conntrack", "1", "0", java.util.Set.of("lab/nat")));
    assertThat(r.owned().sysctls()).containsOnlyKeys("net.ipv4.vs.conntrack");

    Plan removal = plan(DesiredState.EMPTY);

    assertThat(removal.operations()).containsExactly(
        new Operation.RestoreSysctl("net.ipv4.vs.conntrack", "0", java.util.Set.of("lab/nat")));
  }

  @Test
  void aSysctlSomeoneChangedAfterUsIsTheirsAndNotRestored() {
    applier.apply(DesiredState.builder().sysctl("net.ipv4.vs.conntrack", "1", "lab/nat").build());
    kernel.sysctl().preset("net.ipv4.vs.conntrack", "0\t"); // an administrator set it back

    Plan removal = plan(DesiredState.EMPTY);

    assertThat(removal.operations()).isEmpty();
    assertThat(removal.forget()).containsExactly(ObjectRef.sysctl("net.ipv4.vs.conntrack"));
    assertThat(applier.deleteAll().owned().isEmpty()).isTrue();
  }

  @Test
  void anExistingLinkIsBroughtUpButNotOwnedAndOneOfAnotherKindIsAConflict() {
    kernel.rtnl().createLink("tunl0", "ipip", false);
    kernel.rtnl().createLink("dummy0", "veth", true);
    DesiredState s = DesiredState.builder().link("tunl0", "ipip", "lab/tun").link("dummy0", "dummy", "lab/x").build();

    ApplyReport r = applier.apply(s);

    assertThat(r.plan().operations()).containsExactly(new Operation.SetLinkUp("tunl0", false, java.util.Set.of("lab/tun")));
    assertThat(r.conflicts()).extracting(c -> c.object()).containsExactly(ObjectRef.link("dummy0"));
    assertThat(r.owned().links()).isEmpty();
    assertThat(applier.deleteAll().plan().operations()).isEmpty();
  }

  @Test
  void drainingQuiescesToWeightZeroAndDeletesWhenConnectionsEndOrGraceExpires() {
    DesiredState two = DesiredState.builder()
        .service(desired("lab/dr", WEB, "rr", want("198.18.0.11", 80, DROUTE, 5), want("198.18.0.12", 80, DROUTE, 5))
            .withDrainGracePeriod(Duration.ofSeconds(30)))
        .build();
    applier.apply(two);
    kernel.ipvs().setActiveConnections(WEB, rs("198.18.0.12", 80), 4);
    DesiredState one = DesiredState.builder()
        .service(desired("lab/dr", WEB, "rr", want("198.18.0.11", 80, DROUTE, 5))
            .withDrainGracePeriod(Duration.ofSeconds(30)))
        .build();

    ApplyReport first = applier.apply(one);
    assertThat(first.plan().operations()).containsExactly(
        new Operation.UpdateDestination(WEB, dest("198.18.0.12", 80, DROUTE, 0), true, "lab/dr"));
    assertThat(drainer.nextDeadline()).contains(clock.instant().plusSeconds(30));

    clock.advance(Duration.ofSeconds(20));
    assertThat(applier.apply(one).plan().operations()).isEmpty(); // still draining, already at 0

    clock.advance(Duration.ofSeconds(10));
    assertThat(applier.apply(one).plan().operations()).containsExactly(
        new Operation.DeleteDestination(WEB, rs("198.18.0.12", 80), "lab/dr"));
    assertThat(drainer.draining()).isZero();
  }

  @Test
  void aDrainingDestinationWithoutConnectionsGoesAtOnceAndOneWantedBackStopsDraining() {
    DesiredState two = DesiredState.builder()
        .service(desired("lab/dr", WEB, "rr", want("198.18.0.11", 80, DROUTE, 5), want("198.18.0.12", 80, DROUTE, 5))
            .withDrainGracePeriod(Duration.ofMinutes(5)))
        .build();
    applier.apply(two);
    kernel.ipvs().setActiveConnections(WEB, rs("198.18.0.12", 80), 1);
    DesiredState one = DesiredState.builder()
        .service(desired("lab/dr", WEB, "rr", want("198.18.0.11", 80, DROUTE, 5))
            .withDrainGracePeriod(Duration.ofMinutes(5)))
        .build();
    applier.apply(one);
    assertThat(drainer.draining()).isEqualTo(1);

    assertThat(applier.apply(two).plan().operations()).containsExactly(
        new Operation.UpdateDestination(WEB, dest("198.18.0.12", 80, DROUTE, 5), false, "lab/dr"));
    assertThat(drainer.draining()).isZero();

    kernel.ipvs().setActiveConnections(WEB, rs("198.18.0.12", 80), 0);
    assertThat(phases(applier.apply(one).plan())).containsExactly(Phase.DELETE_DESTINATION);
  }

  @Test
  void udpDestinationsAreDeletedWithoutDraining() {
    ServiceKey dns = udp("198.18.0.53", 53);
    applier.apply(DesiredState.builder()
        .service(desired("lab/dns", dns, "rr", want("198.18.0.11", 53, MASQ, 1), want("198.18.0.12", 53, MASQ, 1))
            .withDrainGracePeriod(Duration.ofMinutes(5)))
        .build());
    kernel.ipvs().setActiveConnections(dns, rs("198.18.0.12", 53), 9);

    Plan plan = plan(DesiredState.builder()
        .service(desired("lab/dns", dns, "rr", want("198.18.0.11", 53, MASQ, 1)).withDrainGracePeriod(Duration.ofMinutes(5)))
        .build());

    assertThat(plan.operations()).containsExactly(new Operation.DeleteDestination(dns, rs("198.18.0.12", 53), "lab/dns"));
  }

  @Test
  void aDestinationTheOperatorMarksDrainingIsSetToWeightZeroAndNeverAdded() {
    applier.apply(DesiredState.builder()
        .service(desired("lab/dr", WEB, "rr", want("198.18.0.11", 80, DROUTE, 5)))
        .build());

    Plan plan = plan(DesiredState.builder()
        .service(desired("lab/dr", WEB, "rr", draining("198.18.0.11", 80, DROUTE, 5), draining("198.18.0.12", 80, DROUTE, 5)))
        .build());

    assertThat(plan.operations()).containsExactly(
        new Operation.UpdateDestination(WEB, dest("198.18.0.11", 80, DROUTE, 0), true, "lab/dr"));
  }

  @Test
  void contradictoryWishesBecomeConflictsAndTheFirstWins() {
    DesiredState s = DesiredState.builder()
        .service(desired("ns/a", WEB, "rr"))
        .service(desired("ns/b", WEB, "wrr"))
        .sysctl("net.ipv4.vs.conntrack", "1", "ns/a")
        .sysctl("net.ipv4.vs.conntrack", "0", "ns/b")
        .address(vip("198.18.0.100", "lo"), "ns/a", false)
        .address(vip("198.18.0.100", "lo"), "ns/b", true)
        .build();

    assertThat(s.conflicts()).extracting(c -> c.owners()).containsExactly(java.util.Set.of("ns/b"), java.util.Set.of("ns/b"));
    assertThat(s.services().get(WEB).owner()).isEqualTo("ns/a");
    assertThat(s.addresses().get(vip("198.18.0.100", "lo")).owners()).containsExactly("ns/a", "ns/b");
    assertThat(plan(s).conflicts()).hasSize(2);
  }

  @Test
  void plansAreDeterministic() {
    kernel.ipvs().addService(service(KUBE, "rr"));
    applier.apply(realServerAndDirector(1));
    DesiredState next = DesiredState.builder()
        .service(desired("lab/dr", tcp("198.18.0.102", 80), "rr", want("198.18.0.13", 80, MASQ, 1), want("198.18.0.14", 80, MASQ, 2)))
        .sysctl("net.ipv4.ip_forward", "1", "lab/nat")
        .build();

    assertThat(plan(next)).isEqualTo(plan(next));
  }
}
