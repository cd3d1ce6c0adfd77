package io.lvs.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.lvs.api.slices.NodeSlices;
import io.lvs.api.v1alpha1.Directors;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.Protocol;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.RealServerPoolSpec;
import io.lvs.api.v1alpha1.RealServerPoolRef;
import io.lvs.api.v1alpha1.Scheduler;
import io.lvs.api.v1alpha1.ServiceMembers;
import io.lvs.api.v1alpha1.ServicePort;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import io.lvs.operator.LvsOperator;
import io.lvs.operator.Settings;
import io.lvs.testsupport.Crds;
import io.lvs.testsupport.RealApiServer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The scale against the real kube-apiserver 1.20.2: 2,000 VirtualServices (DR, 2 directors
 * each) x 20 EndpointSlice members over 100 nodes. Measures start-to-all-node-objects-written, the
 * operator's heap, and EndpointSlice change -> director node objects updated.
 * Run: mvn -B -o -pl operator -am verify -Dtest=OperatorScaleBenchmarkTest -Doperator.excludedGroups=none
 *      -Dsurefire.failIfNoSpecifiedTests=false
 */
@Tag("benchmark")
class OperatorScaleBenchmarkTest {
  static final int SERVICES = Integer.getInteger("bench.services", 2000);
  static final int MEMBERS = 20;
  static final int NODES = 100;
  static final int GROUPS = NODES / 2;
  static final String NS = "bench";

  private static String vip(int i) {
    return "10." + (100 + i / 250) + "." + (i % 250) + ".1";
  }

  /**
   * Member m of VirtualService i: the InternalIP of the node it runs on (a hostNetwork real server,
   * the classic LVS-DR layout), so every member is an L2 neighbour of the directors and its node
   * gets the VIP on lo; pod addresses would be unreachable for DR across nodes (NotL2Neighbour).
   */
  private static String member(int i, int m) {
    return nodeAddress((i + m) % NODES);
  }

  private static String nodeAddress(int n) {
    return "192.168." + (n / 250) + "." + (n % 250 + 1);
  }

  private static EndpointSlice slice(int i, boolean firstTerminating) {
    EndpointSliceBuilder b = new EndpointSliceBuilder()
        .withNewMetadata().withNamespace(NS).withName("svc" + i + "-x").addToLabels("kubernetes.io/service-name", "svc" + i).endMetadata()
        .withAddressType("IPv4").addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort();
    for (int m = 0; m < MEMBERS; m++) {
      boolean term = firstTerminating && m == 0;
      b.addNewEndpoint().withAddresses(member(i, m)).withNodeName("node-" + ((i + m) % NODES))
          .withNewConditions().withReady(!term).withServing(true).withTerminating(term).endConditions().endEndpoint();
    }
    return b.build();
  }

  private static void parallel(int n, IntFunction<Object> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Object>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        fs.add(pool.submit(() -> task.apply(k)));
      }
      for (Future<Object> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static boolean allReported(KubernetesClient client) {
    List<VirtualService> all = client.resources(VirtualService.class).inNamespace(NS).list().getItems();
    return all.size() == SERVICES && all.stream().allMatch(vs -> vs.getStatus() != null
        && vs.getMetadata().getGeneration().equals(vs.getStatus().observedGeneration()));
  }

  private static long requestTotal(RequestLog requests) {
    return requests.counts().values().stream().mapToLong(Long::longValue).sum();
  }

  private static long usedHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Test
  void twoThousandVirtualServicesOnAHundredNodes() throws Exception {
    try (RealApiServer server = RealApiServer.start(true); KubernetesClient client = server.newClient()) {
      Crds.install(client, Crds.PROJECT);
      long c0 = System.nanoTime();
      client.resource(new NamespaceBuilder().withNewMetadata().withName("lvs-system").endMetadata().build()).create();
      client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
      parallel(NODES, n -> {
        Node node = client.resource(new NodeBuilder().withNewMetadata().withName("node-" + n)
            .addToLabels("lvs/group", "g" + (n / 2)).endMetadata().build()).create();
        node.setStatus(new NodeBuilder().withNewStatus()
            .addNewAddress().withType("InternalIP").withAddress(nodeAddress(n)).endAddress()
            .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build().getStatus());
        return client.resource(node).updateStatus();
      });
      parallel(SERVICES, i -> {
        client.resource(slice(i, false)).create();
        RealServerPool p = new RealServerPool();
        p.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName("pool" + i).build());
        p.setSpec(new RealServerPoolSpec(new ServiceMembers("svc" + i, null, null), null, null, null, null, null, null, null, null));
        client.resource(p).create();
        VirtualService vs = new VirtualService();
        vs.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName("vs" + i).build());
        vs.setSpec(new VirtualServiceSpec(vip(i), List.of(new ServicePort(null, 80, Protocol.TCP, null)), null, null,
            Forwarding.DirectRouting, Scheduler.wrr, null, null, null, new RealServerPoolRef("pool" + i),
            new Directors(Map.of("lvs/group", "g" + (i % GROUPS)), "eth0"), null));
        return client.resource(vs).create();
      });
      System.out.printf("BENCH created %d nodes, %d x (EndpointSlice, RealServerPool, VirtualService) in %.1f s%n",
          NODES, SERVICES, (System.nanoTime() - c0) / 1e9);

      // a watcher of the node objects, as an agent fleet would be
      Map<String, LvsNodeState> seen = new ConcurrentHashMap<>();
      Map<String, Long> seenAt = new ConcurrentHashMap<>();
      SharedIndexInformer<LvsNodeState> informer = client.resources(LvsNodeState.class).inform(new ResourceEventHandler<>() {
        @Override
        public void onAdd(LvsNodeState s) {
          seen.put(s.getMetadata().getName(), s);
          seenAt.put(s.getMetadata().getName(), System.nanoTime());
        }

        @Override
        public void onUpdate(LvsNodeState o, LvsNodeState s) {
          onAdd(s);
        }

        @Override
        public void onDelete(LvsNodeState s, boolean unknown) {}
      });

      long heapBefore = usedHeap();
      // a composite, so a registry added before the samples sees the samples only
      CompositeMeterRegistry metrics = new CompositeMeterRegistry();
      metrics.add(new SimpleMeterRegistry());
      RequestLog requests = new RequestLog();
      KubernetesClient operatorClient = server.newClient(h -> h.addOrReplaceInterceptor("bench-requests", requests));
      long cpu0 = jvmCpuNanos();
      long serverCpu0 = serverCpuNanos();
      long t0 = System.nanoTime();
      LvsOperator operator = new LvsOperator(operatorClient, new Settings(0, false, "lvs-system", Set.of(), Duration.ofMinutes(5))
          .withSliceMaxEntries(Integer.getInteger("bench.sliceMaxEntries", Settings.DEFAULT_SLICE_MAX_ENTRIES)),
          Clock.systemUTC(), metrics);
      operator.start();
      long expectedDestinations = (long) SERVICES * 2 * MEMBERS;
      while (destinations(seen) < expectedDestinations) {
        Thread.sleep(100);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMinutes(10));
      }
      double converged = (System.nanoTime() - t0) / 1e9;
      long cpu1 = jvmCpuNanos();
      long serverCpu1 = serverCpuNanos();
      long heapAfter = usedHeap();
      double writes = metrics.find("lvs_operator_node_state_writes").counters().stream().mapToDouble(c -> c.count()).sum();
      System.out.printf("BENCH all %d node-state objects written (%d services, %d destinations) %.1f s after start; "
              + "node-state writes %.0f; heap used by operator (after GC, delta) %.0f MiB, JVM heap used %.0f MiB%n",
          seen.size(), services(seen), destinations(seen), converged, writes, (heapAfter - heapBefore) / 1048576.0,
          heapAfter / 1048576.0);
      System.out.println("BENCH node state: " + sliceSizes(seen));
      System.out.printf("BENCH CPU from start to all written: this JVM (operator + the test's watcher) %.1f s, "
          + "kube-apiserver + etcd %.1f s, load average %s%n", (cpu1 - cpu0) / 1e9, (serverCpu1 - serverCpu0) / 1e9, loadAverage());
      System.out.println("BENCH operator requests to all written: " + requests.counts());
      requests.timeline(t0, 10_000_000_000L).forEach((w, kinds) ->
          System.out.printf("BENCH   requests %3d-%3d s: %s%n", w * 10, w * 10 + 10, kinds));

      // let status writes that follow convergence finish, so samples measure a change, not a backlog:
      // every VirtualService reported on, then neither a reconcile nor an API request for 3 s (a
      // pause in requests alone can be slow requests in flight on a loaded machine)
      while (!allReported(client)) {
        Thread.sleep(1000);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMinutes(15));
      }
      long quietSince = System.nanoTime();
      long last = reconciles(metrics) + requestTotal(requests);
      while (System.nanoTime() - quietSince < 3_000_000_000L) {
        Thread.sleep(200);
        long now = reconciles(metrics) + requestTotal(requests);
        if (now != last) {
          last = now;
          quietSince = System.nanoTime();
        }
      }
      System.out.printf("BENCH operator quiet (no reconcile or request for 3 s) %.1f s after start; reconciles %s; "
              + "CPU this JVM %.1f s, kube-apiserver + etcd %.1f s since start%n",
          (System.nanoTime() - t0) / 1e9, reconcileCounts(metrics), (jvmCpuNanos() - cpu0) / 1e9,
          (serverCpuNanos() - serverCpu0) / 1e9);
      System.out.println("BENCH operator requests to quiet: " + requests.counts());
      // one EndpointSlice change at a time: first endpoint turns terminating -> weight 0 on both directors
      int samples = Integer.getInteger("bench.samples", 50);
      long[] latency = new long[samples];
      long[] sinceAck = new long[samples];
      Map<String, Long> before = requests.counts();
      SimpleMeterRegistry duringSamples = new SimpleMeterRegistry();
      duringSamples.config().meterFilter(new MeterFilter() {
        @Override
        public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
          return DistributionStatisticConfig.builder().percentiles(0.5, 0.9, 0.99).expiry(Duration.ofHours(1)).bufferLength(1)
              .build().merge(config);
        }
      });
      metrics.add(duringSamples);
      for (int k = 0; k < samples; k++) {
        int i = (k * 37) % SERVICES;
        String d1 = "node-" + (2 * (i % GROUPS));
        String d2 = "node-" + (2 * (i % GROUPS) + 1);
        String addr = member(i, 0);
        String owner = "bench/vs" + i;
        // the slices that hold this VirtualService on its two directors (an owner stays in its slice)
        String s1 = holding(seen, d1, owner);
        String s2 = holding(seen, d2, owner);
        long s0 = System.nanoTime();
        client.resource(slice(i, true)).update();
        long acked = System.nanoTime();
        while (!(drained(seen.get(s1), owner, addr) && drained(seen.get(s2), owner, addr))) {
          Thread.sleep(2);
          assertThat(Duration.ofNanos(System.nanoTime() - s0)).isLessThan(Duration.ofSeconds(60));
        }
        latency[k] = Math.max(seenAt.get(s1), seenAt.get(s2)) - s0;
        sinceAck[k] = Math.max(seenAt.get(s1), seenAt.get(s2)) - acked;
      }
      int slowest = 0;
      for (int k = 1; k < samples; k++) {
        slowest = sinceAck[k] > sinceAck[slowest] ? k : slowest;
      }
      System.out.printf("BENCH first samples (ack -> watch, in order): %s ms; slowest is sample %d%n",
          Arrays.stream(sinceAck).limit(5).mapToObj(v -> String.format("%.0f", v / 1e6)).toList(), slowest);
      Arrays.sort(latency);
      Arrays.sort(sinceAck);
      System.out.printf("BENCH EndpointSlice write acknowledged -> both director node objects' update seen by a watch "
              + "(%d samples): p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms; load average %s%n", samples,
          sinceAck[samples / 2] / 1e6, sinceAck[(int) Math.ceil(samples * 0.9) - 1] / 1e6,
          sinceAck[(int) Math.ceil(samples * 0.99) - 1] / 1e6, sinceAck[samples - 1] / 1e6, loadAverage());
      Map<String, Long> after = requests.counts();
      after.replaceAll((k, v) -> v - before.getOrDefault(k, 0L));
      after.values().removeIf(v -> v == 0);
      System.out.println("BENCH operator requests during the samples: " + after);
      for (String[] t : new String[][] {
          {"lvs_operator_members_to_node_write", "pool controller published the change -> node objects written"},
          {"lvs_operator_node_sync", "one sync run: plan + diff + writes"},
          {"lvs_operator_node_plan", "one sync run: inputs + plan + diff, elapsed"},
          {"lvs_operator_node_plan_cpu", "one sync run: inputs + plan + diff, on-CPU"},
          {"lvs_operator_node_state_write", "one node-object write (PATCH round trip)"}}) {
        duringSamples.find(t[0]).timers().stream().filter(x -> x.count() > 0).forEach(inside ->
            System.out.printf("BENCH operator-internal during the samples: %s (%d): %s, max %.0f ms%n", t[1], inside.count(),
                Arrays.stream(inside.takeSnapshot().percentileValues())
                    .map(v -> String.format("p%.0f %.0f ms", v.percentile() * 100, v.value(java.util.concurrent.TimeUnit.MILLISECONDS)))
                    .toList(), inside.max(java.util.concurrent.TimeUnit.MILLISECONDS)));
      }
      duringSamples.find("lvs_operator_plan_inputs_built").counters().forEach(c -> System.out.printf(
          "BENCH operator-internal during the samples: plan inputs built anew %.0f (the rest reused)%n", c.count()));
      System.out.printf("BENCH EndpointSlice change -> both director node objects updated (end to end, %d samples): "
              + "p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", samples, latency[samples / 2] / 1e6,
          latency[(int) Math.ceil(samples * 0.99) - 1] / 1e6, latency[samples - 1] / 1e6);
      informer.close();
      operator.close();
      operatorClient.close();
    }
  }

  private static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** kube-apiserver and etcd are this JVM's child processes (kube-api-test starts them). */
  private static long serverCpuNanos() {
    return ProcessHandle.current().descendants()
        .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private static Map<String, Long> reconcileCounts(MeterRegistry metrics) {
    Map<String, Long> out = new java.util.TreeMap<>();
    metrics.find("lvs_operator_reconcile").timers().forEach(t -> out.put(t.getId().getTag("controller"), t.count()));
    return out;
  }

  private static long reconciles(MeterRegistry metrics) {
    return metrics.find("lvs_operator_reconcile").timers().stream().mapToLong(t -> t.count()).sum();
  }

  private static boolean drained(LvsNodeState s, String owner, String address) {
    if (s == null || s.getSpec() == null) {
      return false;
    }
    return s.getSpec().services().stream().filter(x -> owner.equals(x.owner()))
        .flatMap(x -> x.destinations().stream())
        .anyMatch(d -> address.equals(d.address()) && d.weight() == 0);
  }

  /** The name of the node's slice whose spec has this owner's service. */
  private static String holding(Map<String, LvsNodeState> seen, String node, String owner) {
    return seen.values().stream()
        .filter(s -> node.equals(NodeSlices.nodeOf(s)) && s.getSpec().services().stream().anyMatch(x -> owner.equals(x.owner())))
        .map(s -> s.getMetadata().getName()).findFirst().orElseThrow(() -> new AssertionError(owner + " on no slice of " + node));
  }

  /** Slice count, and the JSON size of the slices (average / largest). */
  private static String sliceSizes(Map<String, LvsNodeState> seen) {
    java.util.IntSummaryStatistics st = seen.values().stream()
        .mapToInt(s -> io.fabric8.kubernetes.client.utils.Serialization.asJson(s.getSpec()).length()).summaryStatistics();
    return String.format("%d slices on %d nodes, spec JSON average %.1f KiB, largest %.1f KiB", st.getCount(),
        seen.values().stream().map(NodeSlices::nodeOf).distinct().count(), st.getAverage() / 1024, st.getMax() / 1024.0);
  }

  private static long destinations(Map<String, LvsNodeState> seen) {
    return seen.values().stream().filter(s -> s.getSpec() != null && s.getSpec().services() != null)
        .flatMap(s -> s.getSpec().services().stream()).mapToLong(x -> x.destinations().size()).sum();
  }

  private static long services(Map<String, LvsNodeState> seen) {
    return seen.values().stream().filter(s -> s.getSpec() != null && s.getSpec().services() != null)
        .mapToLong(s -> s.getSpec().services().size()).sum();
  }

}
