package io.lvs.operator.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lvs.api.v1alpha1.ConnectionLimits;
import io.lvs.api.v1alpha1.Directors;
import io.lvs.api.v1alpha1.FailoverTimings;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.MemberStatus;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.RealServerPoolSpec;
import io.lvs.api.v1alpha1.RealServerPoolStatus;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import io.lvs.api.validation.FieldError;
import io.lvs.api.validation.SpecValidator;
import io.lvs.operator.apply.ProgrammingLedger;
import io.lvs.operator.apply.ResolvedPools;
import io.lvs.operator.fixtures.K8s;
import io.lvs.operator.fixtures.Specs;
import io.lvs.operator.resolve.Member;
import io.lvs.operator.resolve.MemberSource;
import io.lvs.operator.validate.SchemaAndCelValidation;
import io.lvs.operator.validate.SpecValidation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every memo of the sync earns its place only if it changes nothing: the memoized sync (as the
 * operator runs it) and a memo-free one (a fresh planner per run, no input, slicing or diff memo)
 * go through the same random cluster changes (VirtualServices, pools, members, nodes, Leases,
 * agents' reports, hand edits), with single directors and HA groups of them, and must make the
 * very same slice and Lease writes, tell the same outcome changes and publish the same outcomes and
 * slices.
 */
class NodeStateSyncDifferentialTest {
  private static final int STEPS = 600;
  private static final String NS = "ns";
  private static final List<String> VIPS = List.of("10.0.0.1", "10.0.0.2", "10.0.0.3");

  private final Map<String, VirtualService> services = new TreeMap<>();
  private final Map<String, RealServerPool> pools = new TreeMap<>();
  private final Map<String, Node> nodes = new TreeMap<>();
  private int uids;

  /** One sync under test with its own slices, Leases and resolved pools. */
  private final class Side {
    final FakeCluster cluster = new FakeCluster(services, pools, nodes);
    final FakeLeases leases = new FakeLeases();
    final ResolvedPools resolved = new ResolvedPools();
    final List<Set<String>> told = new ArrayList<>();
    final PublishedPlan published = new PublishedPlan(keys -> told.add(new TreeSet<>(keys)));
    final SyncRun run;

    Side(boolean memoize, SpecValidation validation) {
      NodeStateSync.Sources sources = new NodeStateSync.Sources(cluster, resolved, validation);
      NodeStateSync.Targets targets = new NodeStateSync.Targets(cluster, leases, new ProgrammingLedger(), keys -> {});
      ServiceInputs inputs = new ServiceInputs(cluster, resolved, validation, memoize, () -> {});
      run = NodeStateSync.assemble(sources, targets, 6, memoize ? Memos.ALL : Memos.NONE, ParallelWrites.SEQUENTIAL, inputs, published,
          new SyncMetrics(new SimpleMeterRegistry()));
    }

    /** Runs until no Lease moved (a handover takes two runs), as the sync loop does. */
    String sync() {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < 5; i++) {
        SyncRun.Result r = run.run();
        out.append(cluster.takeWrites()).append(leases.takeWrites()).append(told).append('\n');
        told.clear();
        if (!r.leaseMoved()) {
          break;
        }
      }
      return out.toString();
    }

    String published() {
      StringBuilder out = new StringBuilder();
      services.keySet().forEach(k -> out.append(k).append(published.outcome(k)).append('\n'));
      for (String n : nodes.keySet()) {
        new TreeSet<>(published.ownersOn(n)).forEach(o -> out.append(n).append(' ').append(o).append(' ')
            .append(published.sliceOf(n, o).orElse("-")).append('\n'));
      }
      return out.toString();
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {13, 2026})
  void memoizedSyncWritesWhatAMemoFreeSyncWrites(long seed) {
    Random random = new Random(seed);
    SpecValidator validator = new SpecValidator();
    Side memoized = new Side(true, new SchemaAndCelValidation());
    Side reference = new Side(false, spec -> validator.validate(spec).stream().map(FieldError::message).toList());
    for (int i = 0; i < 4; i++) {
      putNode(random, "n" + i);
    }
    int writes = 0;
    int elected = 0;
    int leased = 0;
    Set<Integer> kinds = new HashSet<>();
    for (int step = 0; step < STEPS; step++) {
      int kind = random.nextInt(11);
      kinds.add(kind);
      change(kind, random, memoized, reference);
      String a = memoized.sync();
      String b = reference.sync();
      assertThat(a).as("writes at step %d (change %d, seed %d)", step, kind, seed).isEqualTo(b);
      assertThat(memoized.published()).as("published at step %d", step).isEqualTo(reference.published());
      assertThat(memoized.cluster.slices.keySet()).isEqualTo(reference.cluster.slices.keySet());
      writes += a.contains("Update[") || a.contains("Create[") ? 1 : 0;
      elected += a.contains("NodeVipCandidate[") ? 1 : 0;
      leased += a.contains("announce=true") ? 1 : 0;
    }
    assertThat(kinds).as("every kind of change happened").hasSize(11);
    assertThat(elected).as("steps that wrote HA VIP candidacies").isGreaterThan(3);
    assertThat(leased).as("steps that gave a single director its VIP").isGreaterThan(3);
    assertThat(writes).as("steps that wrote slices: the changes mattered").isGreaterThan(STEPS / 6);
  }

  private void change(int kind, Random random, Side a, Side b) {
    String vs = "vs" + random.nextInt(8);
    String pool = "p" + random.nextInt(4);
    switch (kind) {
      case 0, 1 -> putService(random, vs, pool);
      case 2 -> services.remove(NS + "/" + vs);
      case 3 -> restatus(vs);
      case 4 -> putPool(random, pool);
      case 5 -> pools.remove(NS + "/" + pool);
      case 6 -> publishMembers(random, pool, a, b);
      case 7 -> putNode(random, "n" + random.nextInt(6));
      case 8 -> nodeOrLeaseGoes(random, a, b);
      case 9 -> agentsCatchUp(random, a, b);
      default -> handEdit(random, a, b);
    }
  }

  private void putService(Random random, String name, String pool) {
    VirtualService was = services.get(NS + "/" + name);
    int port = List.of(80, 443, 0).get(random.nextInt(3)); // 0: invalid, planned as claiming nothing
    Forwarding fwd = Forwarding.values()[random.nextInt(Forwarding.values().length)];
    VirtualService vs = new VirtualService();
    vs.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS)
        .withUid(was == null ? "uid-" + uids++ : was.getMetadata().getUid())
        .withGeneration(was == null ? 1 : was.getMetadata().getGeneration() + 1)
        .withCreationTimestamp(was == null ? "2026-01-01T00:00:" + (10 + uids % 50) + "Z" : was.getMetadata().getCreationTimestamp())
        .withDeletionTimestamp(random.nextInt(12) == 0 ? "2026-02-01T00:00:00Z" : null)
        .build());
    VirtualServiceSpec spec = Specs.vs(VIPS.get(random.nextInt(VIPS.size())), port, fwd, pool);
    vs.setSpec(new VirtualServiceSpec(spec.vip(), spec.ports(), spec.fwmark(), spec.family(), spec.forwarding(),
        spec.scheduler(), spec.schedulerFlags(), spec.persistence(), spec.onePacket(), spec.realServerPoolRef(),
        directors(random), spec.tunnelType()));
    services.put(NS + "/" + name, vs);
  }

  /**
   * Directors by a label most nodes carry (mostly an HA group: the agents elect the holder) or by
   * one few do (mostly a single director: the operator's Lease), with random HA settings.
   */
  private static Directors directors(Random random) {
    String label = random.nextInt(3) == 0 ? "lvs/solo" : "lvs/director";
    String preferred = random.nextBoolean() ? null : "n" + random.nextInt(6);
    FailoverTimings t = random.nextBoolean() ? null : new FailoverTimings(1000 + 1000 * random.nextInt(3), 600, 200, 500, null);
    return new Directors(Map.of(label, "true"), random.nextInt(4) == 0 ? null : "eth0", preferred,
        random.nextInt(4) == 0 ? Boolean.FALSE : null, t, null, random.nextInt(4) == 0 ? Boolean.FALSE : null);
  }

  /** A status write: a new object with the same generation. */
  private void restatus(String name) {
    VirtualService was = services.get(NS + "/" + name);
    if (was != null) {
      VirtualService vs = new VirtualService();
      vs.setMetadata(new ObjectMetaBuilder(was.getMetadata()).build());
      vs.setSpec(was.getSpec());
      services.put(NS + "/" + name, vs);
    }
  }

  private void putPool(Random random, String name) {
    RealServerPool was = pools.get(NS + "/" + name);
    RealServerPool p = new RealServerPool();
    p.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS)
        .withUid(was == null ? "pool-uid-" + uids++ : was.getMetadata().getUid())
        .withGeneration(was == null ? 1 : was.getMetadata().getGeneration() + 1).build());
    ConnectionLimits limits = random.nextBoolean() ? null : new ConnectionLimits((long) random.nextInt(100) + 10, 5L);
    p.setSpec(new RealServerPoolSpec(null, null, null, null, null, null, limits, null, null));
    if (random.nextBoolean()) { // a pool resolved before a restart: members in its status only
      List<MemberStatus> members = new ArrayList<>();
      for (Member m : members(random)) {
        members.add(new MemberStatus(m.address(), m.port(), m.weight(), "serviceRef", m.node(), m.ready(), null, m.draining(), null));
      }
      p.setStatus(new RealServerPoolStatus(1L, List.of(), null, members));
    }
    pools.put(NS + "/" + name, p);
  }

  private void publishMembers(Random random, String name, Side a, Side b) {
    RealServerPool p = pools.get(NS + "/" + name);
    if (p != null) {
      List<Member> members = members(random);
      a.resolved.publish(p, members);
      b.resolved.publish(p, members);
    }
  }

  private static List<Member> members(Random random) {
    List<Member> out = new ArrayList<>();
    int n = random.nextInt(4);
    for (int i = 0; i < n; i++) {
      int node = random.nextInt(6);
      out.add(new Member("192.168.0." + (10 + node), 8080, 1 + random.nextInt(3), MemberSource.SERVICE, "n" + node,
          true, random.nextInt(5) == 0));
    }
    return out;
  }

  private void putNode(Random random, String name) {
    int i = Integer.parseInt(name.substring(1));
    Map<String, String> labels = new HashMap<>();
    if (random.nextInt(3) > 0) {
      labels.put("lvs/director", "true");
    }
    if (i == 0 || random.nextInt(8) == 0) { // mostly one node, sometimes two
      labels.put("lvs/solo", "true");
    }
    String ip = random.nextInt(5) == 0 ? "192.168.1." + (10 + i) : "192.168.0." + (10 + i);
    nodes.put(name, K8s.node(name, ip, random.nextInt(6) > 0, labels));
  }

  private void nodeOrLeaseGoes(Random random, Side a, Side b) {
    if (random.nextBoolean()) {
      nodes.remove("n" + random.nextInt(6));
      return;
    }
    // a human (or an earlier leader) edits a Lease
    String vip = VIPS.get(random.nextInt(VIPS.size()));
    String holder = random.nextBoolean() ? null : "n" + random.nextInt(6);
    for (Side s : List.of(a, b)) {
      if (holder == null) {
        s.leases.holders.remove(vip);
      } else {
        s.leases.holders.put(vip, holder);
      }
    }
  }

  /** Someone edits a slice by hand (a new spec object, emptied): the sync must put it back. */
  private static void handEdit(Random random, Side a, Side b) {
    List<String> names = new ArrayList<>(a.cluster.slices.keySet());
    if (!names.isEmpty()) {
      String name = names.get(random.nextInt(names.size()));
      a.cluster.handEdit(name);
      b.cluster.handEdit(name);
    }
  }

  private static void agentsCatchUp(Random random, Side a, Side b) {
    List<String> names = new ArrayList<>(a.cluster.slices.keySet());
    for (String name : names) {
      if (random.nextBoolean()) {
        a.cluster.agentCaughtUp(name);
        b.cluster.agentCaughtUp(name);
      }
    }
  }
}
