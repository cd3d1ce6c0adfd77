package io.lvs.agent.apply;

import static io.lvs.agent.fake.Fixtures.desired;
import static io.lvs.agent.fake.Fixtures.rs;
import static io.lvs.agent.fake.Fixtures.tcp;
import static io.lvs.agent.fake.Fixtures.vip;
import static io.lvs.agent.fake.Fixtures.want;
import static io.lvs.agent.model.ForwardMethod.DROUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs.agent.apply.OperationResult.Outcome;
import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.dataplane.ObjectRef;
import io.lvs.agent.diff.Differ;
import io.lvs.agent.fake.FakeKernel;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.netlink.Errno;
import io.lvs.agent.ownership.FileOwnershipStore;
import io.lvs.agent.ownership.OwnedSet;
import io.lvs.agent.ownership.OwnershipStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The applier: per-object results, failures that do not stop the rest, ownership that survives restarts. */
class ApplierTest {
  static final ServiceKey WEB = tcp("198.18.0.100", 80);
  static final ServiceKey API = tcp("198.18.0.101", 80);

  final FakeKernel kernel = new FakeKernel();

  Applier applier(OwnershipStore store) {
    return new Applier(kernel.ipvs(), kernel.rtnl(), kernel.sysctl(), store, new Differ());
  }

  static DesiredState twoServices() {
    return DesiredState.builder()
        .sysctl("net.ipv4.conf.all.arp_ignore", "1", "lab/dr")
        .address(vip("198.18.0.100", "lo"), "lab/dr", false)
        .service(desired("lab/dr", WEB, "rr", want("198.18.0.11", 80, DROUTE, 1), want("198.18.0.12", 80, DROUTE, 1)))
        .service(desired("lab/api", API, "wrr", want("198.18.0.13", 80, DROUTE, 3)))
        .build();
  }

  static OperationResult resultFor(ApplyReport r, ObjectRef ref) {
    return r.results().stream().filter(x -> x.operation().object().equals(ref)).findFirst().orElseThrow();
  }

  @Test
  void anIncrementalApplyDropsTheConflictOfAnOwnerThatStoppedWantingTheService() {
    // found by DifferPropertiesTest.anIncrementalApplyEndsWhereAFullOneDoes (seed -2142047686870630615)
    DesiredState contested = DesiredState.builder()
        .service(desired("ns/a", WEB, "rr", want("198.18.0.11", 80, DROUTE, 1)))
        .service(desired("ns/b", WEB, "wrr", want("198.18.0.12", 80, DROUTE, 1)))
        .build();
    DesiredState settled = DesiredState.builder()
        .service(desired("ns/a", WEB, "rr", want("198.18.0.11", 80, DROUTE, 1)))
        .build();
    Applier applier = applier(OwnershipStore.inMemory());
    assertThat(applier.apply(contested).conflicts()).singleElement()
        .satisfies(c -> assertThat(c.owners()).containsExactly("ns/b"));

    // ns/a's service is the same object as before: not a change, but ns/b's wish is gone
    ApplyReport r = applier.applyChanges(settled);
    assertThat(r.conflicts()).isEmpty();
    assertThat(r.results()).isEmpty();
    assertThat(applier.apply(settled).conflicts()).isEmpty();
  }

  @Test
  void anAddressMarkedAnnounceIsAnnouncedOnceAfterItIsAdded() {
    kernel.rtnl().createLink("eth0", null, true);
    DesiredState holder = DesiredState.builder()
        .address(vip("198.18.0.100", "eth0"), "lab/dr", true)
        .address(vip("198.18.0.101", "lo"), "lab/api", false)
        .build();
    Applier applier = applier(OwnershipStore.inMemory());

    assertThat(applier.apply(holder).fullySucceeded()).isTrue();
    assertThat(kernel.rtnl().announced()).containsExactly(vip("198.18.0.100", "eth0"));

    // already there: no new announcement on a resync
    assertThat(applier.apply(holder).results()).isEmpty();
    assertThat(kernel.rtnl().announced()).hasSize(1);
  }

  @Test
  void aWantedDestinationTheOwnedSetLostIsAdoptedByTheNextSyncWithoutAKernelCall() {
    OwnershipStore store = OwnershipStore.inMemory();
    applier(store).apply(twoServices());
    // as if the agent died between adding 198.18.0.12 and saving the owned set
    store.save(store.load().toBuilder().removeDestination(WEB, rs("198.18.0.12", 80)).build());
    assertThat(store.load().ownsDestination(WEB, rs("198.18.0.12", 80))).isFalse();

    Applier restarted = applier(store);
    ApplyReport r = restarted.apply(twoServices());

    assertThat(r.kernelOperations()).isZero();
    assertThat(restarted.owned().ownsDestination(WEB, rs("198.18.0.12", 80))).isTrue();
    assertThat(store.load().ownsDestination(WEB, rs("198.18.0.12", 80))).as("and saved").isTrue();
    assertThat(restarted.resync(twoServices()).kernelOperations()).isZero();
  }

  @Test
  void aFailingOperationIsReportedWithTheKernelsWordsAndTheRestIsApplied() {
    kernel.faults().fail("add destination", "198.18.0.11:80 to TCP 198.18.0.100:80", Errno.ENOMEM);
    Applier applier = applier(OwnershipStore.inMemory());

    ApplyReport r = applier.apply(twoServices());

    assertThat(r.problems()).singleElement().satisfies(p -> {
      assertThat(p.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(p.operation().object()).isEqualTo(ObjectRef.destination(WEB, rs("198.18.0.11", 80)));
      assertThat(p.error()).isEqualTo("add destination 198.18.0.11:80 to TCP 198.18.0.100:80: ENOMEM");
    });
    assertThat(r.results()).hasSize(7).filteredOn(OperationResult::succeeded).hasSize(6);
    assertThat(r.problemsByOwner()).containsOnlyKeys("lab/dr");
    assertThat(r.owned().ownsDestination(WEB, rs("198.18.0.11", 80))).isFalse();
    assertThat(r.owned().ownsDestination(WEB, rs("198.18.0.12", 80))).isTrue();

    kernel.faults().clear();
    ApplyReport retry = applier.apply(twoServices());
    assertThat(retry.results()).singleElement().satisfies(x -> {
      assertThat(x.succeeded()).isTrue();
      assertThat(x.operation().object()).isEqualTo(ObjectRef.destination(WEB, rs("198.18.0.11", 80)));
    });
    assertThat(retry.fullySucceeded()).isTrue();
  }

  @Test
  void aServiceTheKernelRefusesSkipsItsDestinationsOnly() {
    kernel.faults().fail("add service", "TCP 198.18.0.100:80", Errno.EPERM);

    ApplyReport r = applier(OwnershipStore.inMemory()).apply(twoServices());

    assertThat(resultFor(r, ObjectRef.service(WEB)).error()).isEqualTo("add service TCP 198.18.0.100:80: EPERM");
    assertThat(resultFor(r, ObjectRef.destination(WEB, rs("198.18.0.12", 80))))
        .extracting(OperationResult::outcome, OperationResult::error)
        .containsExactly(Outcome.SKIPPED, "service TCP 198.18.0.100:80 was not created: add service TCP 198.18.0.100:80: EPERM");
    assertThat(resultFor(r, ObjectRef.destination(API, rs("198.18.0.13", 80))).succeeded()).isTrue();
    assertThat(r.kernelOperations()).isEqualTo(5); // the two skipped destinations were not tried
    assertThat(r.owned().ownsService(WEB)).isFalse();
    assertThat(r.owned().ownsService(API)).isTrue();
  }

  @Test
  void aLinkTheKernelRefusesSkipsItsAddressesAndSysctls() {
    kernel.faults().fail("add link", "tunl0", Errno.EOPNOTSUPP);
    kernel.sysctl().preset("net.ipv4.conf.all.rp_filter", "1");
    DesiredState tun = DesiredState.builder()
        .link("tunl0", "ipip", "lab/tun")
        .sysctl("net.ipv4.conf.tunl0.rp_filter", "0", "lab/tun")
        .sysctl("net.ipv4.conf.all.rp_filter", "0", "lab/tun")
        .address(vip("198.18.0.100", "tunl0"), "lab/tun", false)
        .build();

    ApplyReport r = applier(OwnershipStore.inMemory()).apply(tun);

    assertThat(r.results()).extracting(OperationResult::outcome)
        .containsExactly(Outcome.FAILED, Outcome.SKIPPED, Outcome.SUCCEEDED, Outcome.SKIPPED);
    assertThat(resultFor(r, ObjectRef.address(vip("198.18.0.100", "tunl0"))).error())
        .isEqualTo("link tunl0 was not created: add link tunl0: EOPNOTSUPP");
  }

  @Test
  void aSysctlWriteThatFailsIsNotOwned() {
    DesiredState bad = DesiredState.builder().sysctl("net.ipv4.vs.conntrack", "yes", "lab/nat").build();

    ApplyReport r = applier(OwnershipStore.inMemory()).apply(bad);

    assertThat(r.problems()).singleElement()
        .extracting(OperationResult::error).isEqualTo("write sysctl net.ipv4.vs.conntrack=yes: EINVAL (Invalid argument)");
    assertThat(r.owned()).isEqualTo(OwnedSet.EMPTY);
  }

  @Test
  void aRestartedAgentReadsTheKernelAndTheStateFileAndChangesOnlyWhatDiffers(@TempDir Path dir) {
    ApplyReport first = applier(new FileOwnershipStore(dir)).apply(twoServices());
    assertThat(first.fullySucceeded()).isTrue();
    int calls = kernel.mutations();

    Applier restarted = applier(new FileOwnershipStore(dir));
    assertThat(restarted.apply(twoServices()).results()).isEmpty();
    assertThat(kernel.mutations()).isEqualTo(calls);

    kernel.ipvs().deleteDestination(API, rs("198.18.0.13", 80)); // drift
    ApplyReport repair = restarted.apply(twoServices());
    assertThat(repair.results()).singleElement().extracting(x -> x.operation().object())
        .isEqualTo(ObjectRef.destination(API, rs("198.18.0.13", 80)));

    ApplyReport removal = applier(new FileOwnershipStore(dir)).deleteAll();
    assertThat(removal.fullySucceeded()).isTrue();
    assertThat(kernel.ipvs().dump()).isEmpty();
    assertThat(kernel.rtnl().addresses()).isEmpty();
    assertThat(kernel.sysctl().read("net.ipv4.conf.all.arp_ignore")).contains("0");
    assertThat(new FileOwnershipStore(dir).load()).isEqualTo(OwnedSet.EMPTY);
  }

  @Test
  void anAgentThatDiesHalfwayStillKnowsWhatItCreated() {
    OwnershipStore store = OwnershipStore.inMemory();
    // the second destination add kills the agent (an Error is not an operation failure: it escapes)
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    io.lvs.agent.ipvs.IpvsClient crashing = new DelegatingIpvs(kernel.ipvs()) {
      @Override
      public void addDestination(ServiceKey service, io.lvs.agent.model.Destination d) {
        if (calls.incrementAndGet() == 2) {
          throw new OutOfMemoryError("simulated crash");
        }
        super.addDestination(service, d);
      }
    };
    Applier crashes = new Applier(crashing, kernel.rtnl(), kernel.sysctl(), store, new Differ());
    assertThatThrownBy(() -> crashes.apply(twoServices())).isInstanceOf(OutOfMemoryError.class);
    assertThat(kernel.ipvs().dump()).hasSize(2); // both services were created before the crash

    Applier restarted = applier(store);
    ApplyReport restart = restarted.apply(twoServices());

    assertThat(restart.conflicts()).isEmpty();
    assertThat(restart.fullySucceeded()).isTrue();
    assertThat(restart.results()).extracting(x -> x.operation().object()).containsExactlyInAnyOrder(
        ObjectRef.destination(WEB, rs("198.18.0.12", 80)), ObjectRef.destination(API, rs("198.18.0.13", 80)));
    assertThat(restarted.deleteAll().fullySucceeded()).isTrue();
    assertThat(kernel.ipvs().dump()).isEmpty();
    assertThat(kernel.rtnl().addresses()).isEmpty();
  }

  @Test
  void anIncrementalApplyChangesOneWeightWithoutReadingTheKernel() {
    java.util.concurrent.atomic.AtomicInteger dumps = new java.util.concurrent.atomic.AtomicInteger();
    io.lvs.agent.ipvs.IpvsClient counting = new DelegatingIpvs(kernel.ipvs()) {
      @Override
      public java.util.List<io.lvs.agent.model.ObservedService> dump() {
        dumps.incrementAndGet();
        return super.dump();
      }
    };
    Applier applier = new Applier(counting, kernel.rtnl(), kernel.sysctl(), OwnershipStore.inMemory(), new Differ());
    applier.applyChanges(twoServices()); // the first one is a full sync
    assertThat(dumps).hasValue(1);
    DesiredState heavier = DesiredState.builder()
        .sysctl("net.ipv4.conf.all.arp_ignore", "1", "lab/dr")
        .address(vip("198.18.0.100", "lo"), "lab/dr", false)
        .service(desired("lab/dr", WEB, "rr", want("198.18.0.11", 80, DROUTE, 1), want("198.18.0.12", 80, DROUTE, 1)))
        .service(desired("lab/api", API, "wrr", want("198.18.0.13", 80, DROUTE, 5)))
        .build();

    ApplyReport r = applier.applyChanges(heavier);

    assertThat(dumps).hasValue(1);
    assertThat(r.results()).singleElement().satisfies(x -> {
      assertThat(x.succeeded()).isTrue();
      assertThat(x.operation()).isEqualTo(new io.lvs.agent.diff.Operation.UpdateDestination(
          API, io.lvs.agent.fake.Fixtures.dest("198.18.0.13", 80, DROUTE, 5), false, "lab/api"));
    });
    assertThat(kernel.ipvs().dump().get(1).destinations().get(0).destination().weight()).isEqualTo(5);
  }

  @Test
  void anIncrementalApplyThatMustDrainFallsBackToAFullSync() {
    MutableClockHolder h = new MutableClockHolder();
    Applier applier = new Applier(kernel.ipvs(), kernel.rtnl(), kernel.sysctl(), OwnershipStore.inMemory(),
        new Differ(new ConnectionDrainer(h.clock)));
    DesiredState two = DesiredState.builder()
        .service(desired("lab/dr", WEB, "rr", want("198.18.0.11", 80, DROUTE, 1), want("198.18.0.12", 80, DROUTE, 1))
            .withDrainGracePeriod(java.time.Duration.ofSeconds(30)))
        .build();
    applier.apply(two);
    kernel.ipvs().setActiveConnections(WEB, rs("198.18.0.12", 80), 3); // the view has 0: stale

    ApplyReport r = applier.applyChanges(DesiredState.builder()
        .service(desired("lab/dr", WEB, "rr", want("198.18.0.11", 80, DROUTE, 1))
            .withDrainGracePeriod(java.time.Duration.ofSeconds(30)))
        .build());

    assertThat(r.results()).singleElement().extracting(x -> x.operation().phase())
        .isEqualTo(io.lvs.agent.diff.Operation.Phase.QUIESCE_DESTINATION);
  }

  @Test
  void ipvsOperationsOfOnePhaseGoToTheKernelAsOneBatch() {
    java.util.List<java.util.List<String>> batches = new java.util.ArrayList<>();
    io.lvs.agent.ipvs.IpvsClient recording = new DelegatingIpvs(kernel.ipvs()) {
      @Override
      public java.util.List<java.util.Optional<io.lvs.agent.netlink.NetlinkException>> execute(
          java.util.List<io.lvs.agent.ipvs.IpvsCommand> commands) {
        batches.add(commands.stream().map(io.lvs.agent.ipvs.IpvsCommand::operation).toList());
        return super.execute(commands);
      }
    };
    kernel.faults().fail("add destination", "198.18.0.12:80 to TCP 198.18.0.100:80", Errno.EBUSY);
    Applier applier = new Applier(recording, kernel.rtnl(), kernel.sysctl(), OwnershipStore.inMemory(), new Differ());

    ApplyReport r = applier.apply(twoServices());

    assertThat(batches).containsExactly(
        java.util.List.of("add service", "add service"),
        java.util.List.of("add destination", "add destination", "add destination"));
    assertThat(r.problems()).singleElement().extracting(OperationResult::error)
        .isEqualTo("add destination 198.18.0.12:80 to TCP 198.18.0.100:80: EBUSY");
    assertThat(kernel.ipvs().dump()).hasSize(2);
    assertThat(r.owned().ownsDestination(WEB, rs("198.18.0.11", 80))).isTrue();
    assertThat(r.owned().ownsDestination(API, rs("198.18.0.13", 80))).isTrue();
  }

  static final class MutableClockHolder {
    final io.lvs.agent.fake.MutableClock clock = new io.lvs.agent.fake.MutableClock();
  }

  @Test
  void aReportCutToItsProblemsKeepsTheFailuresConflictsAndOwnedSetOnly() {
    kernel.faults().fail("add destination", "198.18.0.11:80 to TCP 198.18.0.100:80", Errno.ENOMEM);
    ApplyReport r = applier(OwnershipStore.inMemory()).apply(twoServices());

    ApplyReport kept = r.problemsOnly();

    assertThat(kept.results()).containsExactlyElementsOf(r.problems());
    assertThat(kept.plan().operations()).containsExactly(r.problems().get(0).operation());
    assertThat(kept.problemsByOwner()).isEqualTo(r.problemsByOwner());
    assertThat(kept.fullySucceeded()).isFalse();
    assertThat(kept.owned()).isSameAs(r.owned());
    assertThat(applier(OwnershipStore.inMemory()).apply(DesiredState.EMPTY).problemsOnly().results()).isEmpty();
  }

  @Test
  void theAppliersOwnedSetIsTheOneTheStoreHoldsNotAnEqualCopy() {
    OwnershipStore store = OwnershipStore.inMemory();
    Applier applier = applier(store);

    applier.apply(twoServices()); // the write-ahead saves the set before the kernel calls; they all succeed

    assertThat(applier.owned()).isSameAs(store.load());
    assertThat(applier.owned().ownsDestination(WEB, rs("198.18.0.12", 80))).isTrue();
  }

  @Test
  void theViewHoldsTheDesiredStatesValuesWhereTheKernelsAreEqualNotTheDecodedCopies() {
    Applier applier = applier(OwnershipStore.inMemory());
    applier.apply(twoServices()); // the kernel now holds this state's objects
    DesiredState again = twoServices(); // equal, but every value a new object, as each sync's translation

    assertThat(applier.apply(again).results()).isEmpty();

    var web = applier.observedServices().stream().filter(s -> s.service().key().equals(WEB)).findFirst().orElseThrow();
    assertThat(web.service().key()).isSameAs(again.services().get(WEB).key());
    assertThat(web.destinations()).hasSize(2).allSatisfy(od -> assertThat(od.destination())
        .isSameAs(again.services().get(WEB).destinations().get(od.destination().key()).destination()));
    assertThat(web.service().flags() & io.lvs.agent.model.IpvsService.F_HASHED).isEqualTo(
        kernel.ipvs().dump().stream().filter(s -> s.service().key().equals(WEB)).findFirst().orElseThrow()
            .service().flags() & io.lvs.agent.model.IpvsService.F_HASHED); // the kernel's own fields stay
  }
}
