package io.lvs.agent.apply;

import static io.lvs.agent.apply.IncrementalChangeBenchmark.state;
import static io.lvs.agent.apply.IncrementalChangeBenchmark.withWeight;
import static io.lvs.agent.ipvs.IpvsAttrs.IPVS_CMD_GET_DEST;
import static io.lvs.agent.ipvs.IpvsAttrs.IPVS_CMD_GET_SERVICE;
import static io.lvs.agent.ipvs.IpvsAttrs.IPVS_CMD_SET_DEST;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.dataplane.DesiredService;
import io.lvs.agent.diff.Differ;
import io.lvs.agent.fake.FakeKernel;
import io.lvs.agent.ipvs.ScriptedIpvsKernel;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.ownership.OwnershipStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What each Applier path costs in netlink requests, counted on the wire of the real client and
 * codec (a scripted IPVS table answers): a weight change is one request in one datagram and reads
 * nothing; a full sync reads the table once (one service dump, one destination dump per service).
 * A regression that adds kernel reads to the incremental path fails here, not only in a benchmark.
 */
class NetlinkRequestCountTest {
  static final int SERVICES = 200;
  final ScriptedIpvsKernel kernel = new ScriptedIpvsKernel();
  Map<ServiceKey, DesiredService> table;
  List<ServiceKey> keys;
  Applier applier;

  @BeforeEach
  void program() {
    table = ScaleKernelBenchmark.table(SERVICES);
    keys = new ArrayList<>(table.keySet());
    FakeKernel others = new FakeKernel(); // addresses, links, sysctls: none in play here
    applier = new Applier(kernel.client(), others.rtnl(), others.sysctl(), OwnershipStore.inMemory(), new Differ());
    kernel.resetCounts();
    assertThat(applier.apply(state(table)).fullySucceeded()).isTrue();
    // from empty: one service dump (no service, so no destination dump), then 200 + 2,000 adds
    assertThat(kernel.dumps()).isEqualTo(1);
    assertThat(kernel.requests()).isEqualTo(1 + SERVICES * 11);
    assertThat(kernel.datagrams()).isEqualTo(1 + (SERVICES + 255) / 256 + (SERVICES * 10 + 255) / 256);
    kernel.resetCounts();
  }

  @Test
  void aWeightChangeWithItsKeyIsOneRequestAndNoRead() {
    ServiceKey victim = keys.get(17);
    ApplyReport r = applier.applyChanges(withWeight(table, victim, 9), List.of(victim));

    IncrementalChangeKernelBenchmark.assertOneWeightUpdate(r);
    assertThat(kernel.requests()).isEqualTo(1);
    assertThat(kernel.requests(IPVS_CMD_SET_DEST)).isEqualTo(1);
    assertThat(kernel.dumps()).isZero();
    assertThat(kernel.datagrams()).isEqualTo(1);
    assertThat(kernel.destinations(victim).values().iterator().next().weight()).isEqualTo(9);
  }

  @Test
  void aWeightChangeFoundByScanningTheDesiredStateIsOneRequestAndNoRead() {
    ServiceKey victim = keys.get(SERVICES - 1);
    ApplyReport r = applier.applyChanges(withWeight(table, victim, 4));

    IncrementalChangeKernelBenchmark.assertOneWeightUpdate(r);
    assertThat(kernel.requests()).isEqualTo(1);
    assertThat(kernel.dumps()).isZero();
    assertThat(kernel.destinations(victim).values().iterator().next().weight()).isEqualTo(4);
  }

  @Test
  void aFullSyncReadsTheTableOnceAndSendsOnlyTheRepair() {
    ServiceKey victim = keys.get(3);
    ApplyReport r = applier.apply(withWeight(table, victim, 7));

    IncrementalChangeKernelBenchmark.assertOneWeightUpdate(r);
    assertThat(kernel.requests(IPVS_CMD_GET_SERVICE)).isEqualTo(1);
    assertThat(kernel.requests(IPVS_CMD_GET_DEST)).isEqualTo(SERVICES);
    assertThat(kernel.dumps()).isEqualTo(1 + SERVICES);
    assertThat(kernel.requests(IPVS_CMD_SET_DEST)).isEqualTo(1);
    assertThat(kernel.requests()).isEqualTo(1 + SERVICES + 1);
  }

  @Test
  void anUnchangedDesiredStateSendsNothing() {
    ApplyReport r = applier.applyChanges(state(table));

    assertThat(r.plan().isEmpty()).isTrue();
    assertThat(kernel.requests()).isZero();
    assertThat(kernel.datagrams()).isZero();
  }
}
