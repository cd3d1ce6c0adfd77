package io.lvs.operator.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lvs.api.v1alpha1.Directors;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.Protocol;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.RealServerPoolRef;
import io.lvs.api.v1alpha1.RealServerPoolSpec;
import io.lvs.api.v1alpha1.Scheduler;
import io.lvs.api.v1alpha1.ServicePort;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import io.lvs.operator.apply.ProgrammingLedger;
import io.lvs.operator.apply.ResolvedPools;
import io.lvs.operator.fixtures.K8s;
import io.lvs.operator.resolve.Member;
import io.lvs.operator.resolve.MemberSource;
import io.lvs.operator.validate.SchemaAndCelValidation;
import io.lvs.operator.validate.SpecValidation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What each memo of the sync buys, at the scale (2,000 DR VirtualServices x 20 members, 100
 * nodes, 2 directors per VIP) on in-memory caches ({@link FakeCluster}): the on-CPU time of one sync
 * run (inputs, plan, slicing, diff, writes) with every memo, with none, and with each one off alone,
 * for a run where only a VirtualService's status changed and for one member's weight change; and
 * the cost of validating every spec once (there is no validation memo: this is why).
 * Run: mvn -B -o -pl operator -am verify -Dtest=SyncMemoBenchmarkTest -Doperator.excludedGroups=none
 *      -Dsurefire.failIfNoSpecifiedTests=false
 */
@Tag("benchmark")
class SyncMemoBenchmarkTest {
  private static final int SERVICES = 2000;
  private static final int MEMBERS = 20;
  private static final int NODES = 100;
  private static final int SAMPLES = Integer.getInteger("bench.samples", 15);

  private final Map<String, VirtualService> services = new TreeMap<>();
  private final Map<String, RealServerPool> pools = new TreeMap<>();
  private final Map<String, Node> nodes = new TreeMap<>();

  @Test
  void eachMemoAgainstTheSyncWithoutIt() {
    for (int n = 0; n < NODES; n++) {
      nodes.put("node-" + n, K8s.node("node-" + n, "192.168." + (n / 250) + "." + (n % 250 + 1), true,
          Map.of("lvs/group", "g" + (n / 2))));
    }
    for (int i = 0; i < SERVICES; i++) {
      services.put("ns/vs" + i, virtualService(i));
      pools.put("ns/p" + i, pool(i));
    }
    measure("warm-up (all memos)", Memos.ALL, new SchemaAndCelValidation()); // JIT, not reported
    Map<String, String> out = new LinkedHashMap<>();
    out.put("all memos", measure("all", Memos.ALL, new SchemaAndCelValidation()));
    if (Boolean.getBoolean("bench.allMemosOnly")) { // a quick look at the operator's configuration alone
      out.forEach((k, v) -> System.out.printf("BENCH sync %s: %s%n", k, v));
      return;
    }
    out.put("no memo", measure("none", Memos.NONE, new SchemaAndCelValidation()));
    out.put("without the inputs memo", measure("-inputs", new Memos(false, true, true, true), new SchemaAndCelValidation()));
    out.put("without the planner memos", measure("-planner", new Memos(true, false, true, true), new SchemaAndCelValidation()));
    out.put("without the slicing memo", measure("-slicing", new Memos(true, true, false, true), new SchemaAndCelValidation()));
    out.put("without the slice-diff memo", measure("-diff", new Memos(true, true, true, false), new SchemaAndCelValidation()));
    out.put("validating the 2,000 specs", validations(new SchemaAndCelValidation()));
    out.forEach((k, v) -> System.out.printf("BENCH sync %s: %s%n", k, v));
  }

  /** One fresh sync through a first run, then status-only runs and one-member changes. */
  private String measure(String name, Memos memos, SpecValidation validation) {
    ResolvedPools resolved = new ResolvedPools();
    pools.values().forEach(p -> resolved.publish(p, members(index(p.getMetadata().getName()), 0)));
    FakeCluster cluster = new FakeCluster(services, pools, nodes);
    NodeStateSync.Sources sources = new NodeStateSync.Sources(cluster, resolved, validation);
    NodeStateSync.Targets targets = new NodeStateSync.Targets(cluster, new FakeLeases(), new ProgrammingLedger(), k -> {});
    ServiceInputs inputs = new ServiceInputs(cluster, resolved, validation, memos.inputs(), () -> {});
    SyncRun run = NodeStateSync.assemble(sources, targets, 256, memos, ParallelWrites.SEQUENTIAL, inputs,
        new PublishedPlan(k -> {}), new SyncMetrics(new SimpleMeterRegistry()));
    services.values().forEach(vs -> validation.validate(vs.getSpec())); // the reconciles before the first run
    long[] first = {cpu(run)};
    assertThat(cluster.takeWrites()).as(name + ": the first run writes every node").hasSizeGreaterThanOrEqualTo(NODES);
    long[] status = new long[SAMPLES];
    long[] change = new long[SAMPLES];
    for (int r = 0; r < SAMPLES; r++) {
      restatus("ns/vs" + (r * 7));
      status[r] = cpu(run);
      assertThat(cluster.takeWrites()).as(name + ": a status change writes nothing").isEmpty();
      RealServerPool p = pools.get("ns/p" + r);
      resolved.publish(p, members(r, 1 + r % 2));
      change[r] = cpu(run);
      assertThat(cluster.takeWrites()).as(name + ": a weight writes both directors' slices").hasSize(2);
    }
    return String.format("first run %.0f ms; status-only run %s; one member's weight %s", first[0] / 1e6,
        median(status), median(change));
  }

  /** On-CPU time of validating every spec once (what a restart's first run and 2,000 reconciles each cost). */
  private String validations(SpecValidation validation) {
    long[] cpu = new long[5];
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < cpu.length; i++) {
      long c0 = mx.getCurrentThreadCpuTime();
      services.values().forEach(vs -> assertThat(validation.validate(vs.getSpec())).isEmpty());
      cpu[i] = mx.getCurrentThreadCpuTime() - c0;
    }
    return median(cpu);
  }

  private static long cpu(SyncRun run) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long c0 = mx.getCurrentThreadCpuTime();
    run.run();
    return mx.getCurrentThreadCpuTime() - c0;
  }

  private static String median(long[] cpu) {
    long[] c = cpu.clone();
    Arrays.sort(c);
    return String.format("median %.1f ms (max %.1f)", c[c.length / 2] / 1e6, c[c.length - 1] / 1e6);
  }

  private void restatus(String key) {
    VirtualService was = services.get(key);
    VirtualService vs = new VirtualService();
    vs.setMetadata(new ObjectMetaBuilder(was.getMetadata()).build());
    vs.setSpec(was.getSpec());
    services.put(key, vs);
  }

  private static int index(String name) {
    return Integer.parseInt(name.replaceAll("\\D", ""));
  }

  private static VirtualService virtualService(int i) {
    VirtualService vs = new VirtualService();
    vs.setMetadata(new ObjectMetaBuilder().withName("vs" + i).withNamespace("ns").withUid("vs-uid-" + i).withGeneration(1L)
        .withCreationTimestamp(java.time.Instant.ofEpochSecond(1_700_000_000L + i).toString()).build());
    vs.setSpec(new VirtualServiceSpec(
        "10." + (i / 250) + "." + (i % 250) + ".1", List.of(new ServicePort(null, 80, Protocol.TCP, null)), null, null,
        Forwarding.DirectRouting, Scheduler.wrr, null, null, null, new RealServerPoolRef("p" + i),
        new Directors(Map.of("lvs/group", "g" + (i % (NODES / 2))), "eth0"), null));
    return vs;
  }

  private static RealServerPool pool(int i) {
    RealServerPool p = new RealServerPool();
    p.setMetadata(new ObjectMetaBuilder().withName("p" + i).withNamespace("ns").withUid("pool-uid-" + i).withGeneration(1L).build());
    p.setSpec(new RealServerPoolSpec(null, null, null, null, null, null, null, null, null));
    return p;
  }

  private static List<Member> members(int i, int weightShift) {
    List<Member> out = new ArrayList<>();
    for (int m = 0; m < MEMBERS; m++) {
      // hostNetwork real servers: the node's own address, an L2 neighbour of the directors
      int n = (i + m) % NODES;
      out.add(new Member("192.168." + (n / 250) + "." + (n % 250 + 1), 80, 1 + (m == 0 ? weightShift : 0),
          MemberSource.SERVICE, "node-" + n, true, false));
    }
    return out;
  }
}
