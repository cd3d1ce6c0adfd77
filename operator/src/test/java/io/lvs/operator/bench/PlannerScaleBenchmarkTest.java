package io.lvs.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.api.v1alpha1.Directors;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.Protocol;
import io.lvs.api.v1alpha1.RealServerPoolRef;
import io.lvs.api.v1alpha1.Scheduler;
import io.lvs.api.v1alpha1.ServicePort;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import io.lvs.operator.diff.NodeStateDiff;
import io.lvs.operator.plan.ClusterPlan;
import io.lvs.operator.plan.NodeStatePlanner;
import io.lvs.operator.plan.NodeView;
import io.lvs.operator.plan.ServiceInput;
import io.lvs.operator.resolve.Member;
import io.lvs.operator.resolve.MemberSource;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The pure path at the scale: 2,000 VirtualServices x 20 members over 100 nodes (each VIP
 * directed by 2 of them; members on the nodes, DR, so real-server roles are planned too).
 * Run: mvn -B -o -pl operator -am verify -Dtest=PlannerScaleBenchmarkTest -Doperator.excludedGroups=none
 *      -Dsurefire.failIfNoSpecifiedTests=false
 */
@Tag("benchmark")
class PlannerScaleBenchmarkTest {
  static final int SERVICES = 2000;
  static final int MEMBERS = 20;
  static final int NODES = 100;

  static List<NodeView> nodes() {
    List<NodeView> out = new ArrayList<>();
    for (int n = 0; n < NODES; n++) {
      out.add(new NodeView("node-" + n, Map.of("lvs/group", "g" + (n / 2)), true, "192.168." + (n / 250) + "." + (n % 250 + 1)));
    }
    return out;
  }

  static ServiceInput service(int i, int weightShift) {
    VirtualServiceSpec spec = new VirtualServiceSpec(
        "10." + (i / 250) + "." + (i % 250) + ".1", List.of(new ServicePort(null, 80, Protocol.TCP, null)), null, null,
        Forwarding.DirectRouting, Scheduler.wrr, null, null, null, new RealServerPoolRef("p" + i),
        new Directors(Map.of("lvs/group", "g" + (i % (NODES / 2))), "eth0"), null);
    List<Member> members = new ArrayList<>();
    for (int m = 0; m < MEMBERS; m++) {
      members.add(new Member("172.16." + (i / 100) + "." + (i % 100 * 2 + m), 80, 1 + (m == 0 ? weightShift : 0),
          MemberSource.SERVICE, "node-" + ((i + m) % NODES), true, false));
    }
    return new ServiceInput("ns/vs" + i, spec, Instant.ofEpochSecond(i), members, null, null, null, true);
  }

  /** Wall and on-CPU times: this machine is shared, so wall time includes waiting for a core. */
  static String stats(long[] wall, long[] cpu) {
    long[] w = wall.clone();
    long[] c = cpu.clone();
    Arrays.sort(w);
    Arrays.sort(c);
    int p99 = (int) Math.ceil(w.length * 0.99) - 1;
    return String.format("wall median %.1f ms p99 %.1f ms; cpu median %.1f ms p99 %.1f ms",
        w[w.length / 2] / 1e6, w[p99] / 1e6, c[c.length / 2] / 1e6, c[p99] / 1e6);
  }

  @Test
  void planAndDiffAtScale() {
    NodeStatePlanner planner = new NodeStatePlanner();
    List<NodeView> nodes = nodes();
    List<ServiceInput> inputs = new ArrayList<>();
    for (int i = 0; i < SERVICES; i++) {
      inputs.add(service(i, 0));
    }
    for (int warm = 0; warm < 5; warm++) {
      planner.plan(inputs, nodes, Map.of());
    }
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    long[] full = new long[20];
    long[] fullCpu = new long[20];
    ClusterPlan plan = null;
    for (int r = 0; r < full.length; r++) {
      long c0 = cpu.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      plan = planner.plan(inputs, nodes, Map.of());
      full[r] = System.nanoTime() - t0;
      fullCpu[r] = cpu.getCurrentThreadCpuTime() - c0;
    }
    assertThat(plan.nodes()).hasSize(NODES);
    assertThat(plan.nodes().values().stream().mapToInt(s -> s.services().size()).sum()).isEqualTo(SERVICES * 2);

    // one member's weight changes: plan again and diff against the previous plan
    Map<String, LvsNodeStateSpec> before = new HashMap<>(plan.nodes());
    Set<String> names = nodes.stream().map(NodeView::name).collect(Collectors.toSet());
    long[] change = new long[50];
    long[] changeCpu = new long[50];
    int changedNodes = 0;
    for (int r = 0; r < change.length; r++) {
      List<ServiceInput> next = new ArrayList<>(inputs);
      next.set(r, service(r, 1));
      long c0 = cpu.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      ClusterPlan p = planner.plan(next, nodes, Map.of());
      changedNodes = NodeStateDiff.diff(p.nodes(), before, names).size();
      change[r] = System.nanoTime() - t0;
      changeCpu[r] = cpu.getCurrentThreadCpuTime() - c0;
    }
    assertThat(changedNodes).isEqualTo(2); // the two directors of that VIP, nobody else
    System.out.printf("BENCH planner full plan %d VS x %d members / %d nodes: %s%n", SERVICES, MEMBERS, NODES,
        stats(full, fullCpu));
    System.out.printf("BENCH planner one-member change, plan+diff (%d node specs to write): %s%n", changedNodes,
        stats(change, changeCpu));
  }
}
