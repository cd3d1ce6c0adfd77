package io.lvs.agent.apply;

import static io.lvs.agent.fake.Fixtures.desired;
import static io.lvs.agent.fake.Fixtures.dest;
import static io.lvs.agent.fake.Fixtures.rs;
import static io.lvs.agent.fake.Fixtures.service;
import static io.lvs.agent.fake.Fixtures.tcp;
import static io.lvs.agent.fake.Fixtures.want;
import static io.lvs.agent.model.ForwardMethod.DROUTE;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.diff.Differ;
import io.lvs.agent.fake.FakeKernel;
import io.lvs.agent.ipvs.IpvsClient;
import io.lvs.agent.ipvs.ProcIpvsTable;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.model.TunnelType;
import io.lvs.agent.ownership.OwnershipStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The resync's cheap read: drift is repaired in one call while destination dumps go only where the table differs. */
class TableCheckTest {
  static final int SERVICES = 40;
  final FakeKernel kernel = new FakeKernel();
  final List<ServiceKey> dumped = new ArrayList<>();
  int fullDumps;

  /** The fake kernel with a text table rendered from its state, as /proc/net/ip_vs prints it. */
  final IpvsClient withText = new DelegatingIpvs(kernel.ipvs()) {
    @Override
    public List<ObservedService> dump() {
      fullDumps++;
      return super.dump();
    }

    @Override
    public List<ObservedService> dumpServices() {
      return kernel.ipvs().dumpServices(); // the kernel's is one dump; the fake's default goes through dump()
    }

    @Override
    public List<ObservedDestination> dumpDestinations(ServiceKey key) {
      dumped.add(key);
      return kernel.ipvs().dumpDestinations(key);
    }

    @Override
    public boolean textTable(BiConsumer<ServiceKey, List<ProcIpvsTable.Row>> perService) {
      for (ObservedService s : kernel.ipvs().dump()) {
        perService.accept(s.service().key(), s.destinations().stream().map(d -> new ProcIpvsTable.Row(d.destination().key(),
            ProcIpvsTable.forwardName(d.destination().forwardMethod()), d.destination().weight(), d.activeConnections(),
            d.inactiveConnections())).toList());
      }
      return true;
    }
  };

  /** {@link #withText} with its text table changed by {@code edit} (a copy of it) before it is returned. */
  IpvsClient withTextEdited(java.util.function.Consumer<Map<ServiceKey, List<ProcIpvsTable.Row>>> edit) {
    return new DelegatingIpvs(withText) {
      @Override
      public List<ObservedService> dumpServices() {
        return withText.dumpServices();
      }

      @Override
      public List<ObservedDestination> dumpDestinations(ServiceKey key) {
        return withText.dumpDestinations(key);
      }

      @Override
      public boolean textTable(BiConsumer<ServiceKey, List<ProcIpvsTable.Row>> perService) {
        Map<ServiceKey, List<ProcIpvsTable.Row>> t = new LinkedHashMap<>(withText.textTable().orElseThrow());
        edit.accept(t);
        t.forEach(perService);
        return true;
      }
    };
  }

  static ServiceKey key(int i) {
    return tcp("198.18.1." + (1 + i), 80);
  }

  static DesiredState table() {
    DesiredState.Builder b = DesiredState.builder();
    for (int i = 0; i < SERVICES; i++) {
      b.service(desired("lab/vs" + i, key(i), "wrr", want("198.19.0.1", 80, DROUTE, 1), want("198.19.0.2", 80, DROUTE, 2),
          want("198.19.0.3", 80, DROUTE, 3)));
    }
    return b.build();
  }

  Applier applier(IpvsClient ipvs) {
    return new Applier(ipvs, kernel.rtnl(), kernel.sysctl(), OwnershipStore.inMemory(), new Differ(), 0, 8);
  }

  @Test
  void handMadeDamageIsRepairedInOneResyncWithDumpsOnlyForWhatDiffersAndItsShare() {
    Applier applier = applier(withText);
    DesiredState want = table();
    applier.apply(want);
    List<ObservedService> programmed = kernel.ipvs().dump();
    assertThat(applier.resync(want).plan().isEmpty()).isTrue();
    assertThat(dumped).as("an unchanged table: only the rolling share, 40 / 8").hasSize(5);
    dumped.clear();
    fullDumps = 0;

    kernel.ipvs().updateDestination(key(10), dest("198.19.0.1", 80, DROUTE, 77)); // ipvsadm -e
    kernel.ipvs().deleteDestination(key(20), rs("198.19.0.2", 80)); // ipvsadm -d
    kernel.ipvs().deleteService(key(30)); // ipvsadm -D
    ServiceKey foreign = tcp("198.18.9.9", 80);
    kernel.ipvs().addService(service(foreign, "rr"));
    kernel.ipvs().addDestination(foreign, dest("198.19.9.9", 80, DROUTE, 1));

    ApplyReport repair = applier.resync(want);

    assertThat(repair.fullySucceeded()).isTrue();
    assertThat(repair.kernelOperations()).as("weight back, destination back, service and its 3 destinations back")
        .isEqualTo(1 + 1 + 4);
    Map<ServiceKey, Set<Destination>> now = table(kernel.ipvs().dump());
    now.remove(foreign);
    assertThat(now).isEqualTo(table(programmed));
    assertThat(kernel.ipvs().dump()).filteredOn(s -> s.service().key().equals(foreign)).singleElement()
        .satisfies(s -> assertThat(s.destinations()).extracting(ObservedDestination::destination)
            .containsExactly(dest("198.19.9.9", 80, DROUTE, 1)));
    assertThat(fullDumps).as("no dump of every service").isZero();
    assertThat(dumped).contains(key(10), key(20), foreign).hasSizeLessThanOrEqualTo(5 + 3);
  }

  @Test
  void anUnchangedServiceKeepsTheViewsDestinationsAndOnlyMovedCountsAreNew() {
    boolean[] busy = {false};
    IpvsClient counting = withTextEdited(t -> {
      if (busy[0]) { // two connections on the first destination of service 3, as the text would show them
        List<ProcIpvsTable.Row> rows = new ArrayList<>(t.get(key(3)));
        ProcIpvsTable.Row r = rows.get(0);
        rows.set(0, new ProcIpvsTable.Row(r.key(), r.forward(), r.weight(), 2, 0));
        t.put(key(3), rows);
      }
    });
    Applier applier = applier(counting);
    DesiredState want = table();
    applier.apply(want);
    applier.resync(want);
    Map<ServiceKey, ObservedService> before = byKey(applier.observedServices());
    dumped.clear();
    busy[0] = true;

    assertThat(applier.resync(want).plan().isEmpty()).isTrue();

    Map<ServiceKey, ObservedService> after = byKey(applier.observedServices());
    int kept = 0;
    for (int i = 0; i < SERVICES; i++) {
      if (dumped.contains(key(i)) || i == 3) {
        continue; // dumped (its share) or counted: read anew
      }
      List<ObservedDestination> was = before.get(key(i)).destinations();
      List<ObservedDestination> now = after.get(key(i)).destinations();
      for (int d = 0; d < now.size(); d++) {
        assertThat(now.get(d)).isSameAs(was.get(d));
      }
      kept++;
    }
    assertThat(kept).isGreaterThanOrEqualTo(SERVICES - 5 - 1);
    assertThat(dumped).as("service 3 is outside this resync's share").doesNotContain(key(3));
    List<ObservedDestination> three = after.get(key(3)).destinations();
    assertThat(three.get(0).activeConnections()).isEqualTo(2);
    assertThat(three.get(0)).isNotSameAs(before.get(key(3)).destinations().get(0));
    assertThat(three.get(1)).isSameAs(before.get(key(3)).destinations().get(1));
  }

  @Test
  void aTextListingDestinationsInAnotherOrderThanTheViewIsComparedByKey() {
    IpvsClient reversed = withTextEdited(t -> {
      for (ServiceKey k : List.of(key(25), key(26))) { // as the kernel lists a destination added later: first
        List<ProcIpvsTable.Row> rows = new ArrayList<>(t.get(k));
        java.util.Collections.reverse(rows);
        t.put(k, rows);
      }
    });
    Applier applier = applier(reversed);
    DesiredState want = table();
    applier.apply(want);
    applier.resync(want);
    List<ObservedDestination> kept = byKey(applier.observedServices()).get(key(25)).destinations();
    dumped.clear();
    kernel.ipvs().updateDestination(key(26), dest("198.19.0.1", 80, DROUTE, 77)); // ipvsadm -e

    ApplyReport repair = applier.resync(want);

    assertThat(repair.kernelOperations()).as("service 26's weight put back").isEqualTo(1);
    assertThat(dumped).as("service 26 differs, service 25 does not: only 26 and the share").contains(key(26))
        .doesNotContain(key(25)).hasSizeLessThanOrEqualTo(5 + 1);
    assertThat(byKey(applier.observedServices()).get(key(25)).destinations()).as("the view's own list").isSameAs(kept);
  }

  private static Map<ServiceKey, ObservedService> byKey(List<ObservedService> services) {
    Map<ServiceKey, ObservedService> m = new LinkedHashMap<>();
    services.forEach(s -> m.put(s.service().key(), s));
    return m;
  }

  @Test
  void whatTheTextDoesNotShowIsRepairedWithinOneRoundOfTheRollingShare() {
    Applier applier = applier(withText);
    DesiredState want = table();
    applier.apply(want);
    Destination d = dest("198.19.0.3", 80, DROUTE, 3);
    kernel.ipvs().updateDestination(key(25), new Destination(d.key(), DROUTE, 3, 1000, 0, TunnelType.IPIP, 0, 0));

    int resyncs = 0;
    while (threshold(key(25)) != 0) {
      assertThat(resyncs).as("repaired within 8 resyncs").isLessThan(8);
      applier.resync(want);
      resyncs++;
    }
    Set<ServiceKey> everyOne = new HashSet<>(dumped);
    for (int i = resyncs; i < 8; i++) {
      applier.resync(want);
    }
    everyOne.addAll(dumped);
    assertThat(everyOne).as("every service's destinations dumped once in 8 resyncs").hasSize(SERVICES);
  }

  @Test
  void withAFullReadEveryResyncAThresholdIsRepairedByTheNextAndTheTextIsNotRead() {
    int[] textReads = new int[1];
    IpvsClient counting = new DelegatingIpvs(withText) {
      @Override
      public List<ObservedService> dump() {
        return withText.dump();
      }

      @Override
      public boolean textTable(BiConsumer<ServiceKey, List<ProcIpvsTable.Row>> perService) {
        textReads[0]++;
        return withText.textTable(perService);
      }
    };
    Applier applier = new Applier(counting, kernel.rtnl(), kernel.sysctl(), OwnershipStore.inMemory(), new Differ(), 0, 1);
    DesiredState want = table();
    applier.apply(want);
    Destination d = dest("198.19.0.3", 80, DROUTE, 3);
    kernel.ipvs().updateDestination(key(25), new Destination(d.key(), DROUTE, 3, 1000, 0, TunnelType.IPIP, 0, 0));

    assertThat(applier.resync(want).kernelOperations()).isEqualTo(1);
    assertThat(threshold(key(25))).isZero();
    assertThat(applier.lastResyncDumps()).isEqualTo(SERVICES);
    assertThat(textReads[0]).as("nothing the dumps do not show").isZero();
  }

  @Test
  void withoutATextTableAResyncDumpsEveryService() {
    IpvsClient plain = new DelegatingIpvs(kernel.ipvs()) {
      @Override
      public List<ObservedService> dump() {
        fullDumps++;
        return super.dump();
      }
    };
    Applier applier = applier(plain);
    DesiredState want = table();
    applier.apply(want);
    kernel.ipvs().updateDestination(key(3), dest("198.19.0.1", 80, DROUTE, 9));

    assertThat(applier.resync(want).kernelOperations()).isEqualTo(1);
    assertThat(fullDumps).isEqualTo(2);
    assertThat(applier.lastResyncDumps()).isEqualTo(SERVICES);
  }

  /** Each service's destinations, order aside (a destination put back comes last). */
  static Map<ServiceKey, Set<Destination>> table(List<ObservedService> services) {
    Map<ServiceKey, Set<Destination>> t = new LinkedHashMap<>();
    services.forEach(s -> t.put(s.service().key(), new HashSet<>(s.destinations().stream()
        .map(ObservedDestination::destination).toList())));
    return t;
  }

  long threshold(ServiceKey k) {
    return kernel.ipvs().dump().stream().filter(s -> s.service().key().equals(k)).findFirst().orElseThrow().destinations()
        .stream().filter(x -> x.destination().key().equals(rs("198.19.0.3", 80))).findFirst().orElseThrow().destination()
        .upperThreshold();
  }
}
