package io.lvs.e2e.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.lvs.e2e.chart.ChartRenderer;
import io.lvs.e2e.lab.AgentProxy;
import io.lvs.e2e.lab.ApiServer;
import io.lvs.e2e.lab.Ipvsadm;
import io.lvs.e2e.lab.IpvsadmListing;
import io.lvs.e2e.lab.KubectlLvs;
import io.lvs.e2e.lab.Kube;
import io.lvs.e2e.lab.Lab;
import io.lvs.e2e.lab.HeldConnections;
import io.lvs.e2e.lab.LabNetwork;
import io.lvs.e2e.lab.LabNode;
import io.lvs.e2e.lab.Manifests;
import io.lvs.e2e.lab.Shell;
import io.lvs.e2e.lab.WebServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The kubectl plugin (bin/kubectl-lvs) as a user runs it against the lab: the host's real
 * kube-apiserver with RBAC, the agents in the VM reached through its pod proxy, the user bound by
 * the chart's own viewer roles (rendered from helm-chart/ with rbac.viewers). What it prints is
 * compared with Debian's ipvsadm in each node's namespace; a user without the roles and an agent
 * that is down each get one clear line.
 */
@Order(12)
class KubectlLvsE2eTest extends Scenario {
  static final String DR_VIP = "198.18.0.212";
  static final String NAT_VIP = "198.18.0.213";
  static final List<Integer> CLIENT_PORTS = List.of(40001, 40002);

  @BeforeEach
  void viewerRoles(Lab lab) throws Exception {
    assumeTrue(lab.apiServer().rbac() && lab.exposeAgentsToPodProxy(),
        "needs the host's API server with RBAC and the agent forwards (HostControlPlane as root)");
    Path values = Files.createTempFile("viewers", ".yaml");
    Files.writeString(values, "rbac:\n  viewers:\n  - kind: Group\n    name: " + ApiServer.VIEWERS_GROUP
        + "\n    apiGroup: rbac.authorization.k8s.io\n");
    List<HasMetadata> viewer = new ChartRenderer(lab.moduleDir().resolveSibling("helm-chart"))
        .render("lvs", AgentProxy.NAMESPACE, values, Map.of()).objects().stream()
        .filter(o -> o.getMetadata().getLabels() != null
            && "viewer".equals(o.getMetadata().getLabels().get(AgentProxy.COMPONENT_LABEL))).toList();
    assertThat(viewer).extracting(HasMetadata::getKind)
        .containsExactlyInAnyOrder("ClusterRole", "Role", "ClusterRoleBinding", "RoleBinding");
    viewer.forEach(o -> lab.kube().client().resource(o).createOr(x -> x.update()));
  }

  @Test
  @DisplayName("kubectl lvs as a chart viewer: ln / --stats / --rate as each node's ipvsadm -Ln; lnc as ipvsadm -Lnc")
  void viewerSeesWhatIpvsadmShows(Lab lab) throws Exception {
    LabNode director = lab.director();
    LabNode heavy = lab.realServers().get(0);
    LabNode light = lab.realServers().get(1);
    lab.kube().apply(Manifests.pair(Manifests.nodePool("web-view", List.of()),
        Manifests.virtualService("dr-view", DR_VIP, "DirectRouting", "rr", "web-view", List.of())));
    lab.kube().apply(Manifests.pair(Manifests.nodePool("web-view-nat", List.of("weights:",
            "- address: " + heavy.address(), "  weight: 3", "- address: " + light.address(), "  weight: 1")),
        Manifests.virtualService("nat-view", NAT_VIP, "NAT", "wrr", "web-view-nat", List.of())));
    lab.await("both services with their real servers on " + director.name(), CONVERGE, () ->
        Ipvsadm.service(director.ns(), tcp(DR_VIP, WebServers.PORT)).filter(s -> s.destinations().size() == 2).isPresent()
            && Ipvsadm.service(director.ns(), tcp(NAT_VIP, WebServers.PORT)).filter(s -> s.destinations().size() == 2).isPresent());
    KubectlLvs viewer = new KubectlLvs(lab, ApiServer.User.VIEWER);

    Instant t0 = Instant.now();
    KubectlLvs.Run ln = viewer.run("ln");
    Duration lnTook = Duration.between(t0, Instant.now());
    assertThat(ln.exit()).as(ln.toString()).isZero();
    for (LabNode n : lab.nodes()) {
      assertThat(IpvsadmListing.services(ln.section(n.name()))).as("kubectl lvs ln, node %s, against its ipvsadm -Ln\n%s", n.name(), ln)
          .isEqualTo(IpvsadmListing.services(Shell.inNs(n.ns(), "ipvsadm", "-Ln").orThrow()));
    }
    // the comparison above is not between two empty tables: the director's rows are these
    assertThat(IpvsadmListing.services(ln.section(director.name()))).containsOnlyKeys(
        "TCP " + DR_VIP + ":80 rr", "TCP " + NAT_VIP + ":80 wrr")
        .containsEntry("TCP " + NAT_VIP + ":80 wrr", List.of(
            "-> " + heavy.address() + ":80 Masq 3 0 0", "-> " + light.address() + ":80 Masq 1 0 0"))
        .containsEntry("TCP " + DR_VIP + ":80 rr", List.of(
            "-> " + heavy.address() + ":80 Route 1 0 0", "-> " + light.address() + ":80 Route 1 0 0"));
    lab.results().figure("kubectl lvs ln (4 agents through the pod proxy) in " + DirectRoutingE2eTest.seconds(lnTook)
        + ": " + ln.section(director.name()).lines().count() + " lines on " + director.name() + " = ipvsadm -Ln");

    try (HeldConnections held = HeldConnections.open(DR_VIP, WebServers.PORT, CLIENT_PORTS)) {
      List<String> expected = CLIENT_PORTS.stream()
          .map(p -> "TCP ESTABLISHED " + LabNetwork.CLIENT_ADDRESS + ":" + p + " " + DR_VIP + ":80").toList();
      lab.await("the client's connections ESTABLISHED in ipvsadm -Lnc on " + director.name(), CONVERGE,
          () -> connections(Shell.inNs(director.ns(), "ipvsadm", "-Lnc").orThrow()).containsAll(expected));
      KubectlLvs.Run lnc = viewer.run("--node", director.name(), "lnc", Kube.NAMESPACE + "/dr-view");
      String kernel = Shell.inNs(director.ns(), "ipvsadm", "-Lnc").orThrow();
      assertThat(lnc.exit()).as(lnc.toString()).isZero();
      List<IpvsadmListing.Connection> shown = IpvsadmListing.connections(lnc.section(director.name()));
      List<String> kernelEntries = IpvsadmListing.connections(kernel).stream().filter(c -> c.virtual().equals(DR_VIP + ":80"))
          .map(IpvsadmListing.Connection::withoutExpiry).toList();
      assertThat(shown).extracting(IpvsadmListing.Connection::withoutExpiry).as("kubectl lvs lnc against ipvsadm -Lnc\n%s\n%s", lnc, kernel)
          .containsExactlyInAnyOrderElementsOf(kernelEntries);
      assertThat(connections(lnc.section(director.name()))).as(lnc.toString()).containsAll(expected);
      assertThat(shown).allSatisfy(c -> assertThat(c.expire()).matches("(0\\d|1[0-5]):[0-5]\\d"));
      KubectlLvs.Run natLnc = viewer.run("--node", director.name(), "lnc", Kube.NAMESPACE + "/nat-view");
      assertThat(IpvsadmListing.connections(natLnc.section(director.name()))).as("another service's connections\n%s", natLnc)
          .isEmpty();
      lab.results().figure("kubectl lvs lnc: " + shown.size() + " entries = ipvsadm -Lnc's for " + DR_VIP + " (client ports "
          + CLIENT_PORTS + " ESTABLISHED)");
    }
    statsAsIpvsadm(lab, viewer, director);
  }

  /** --stats once the counters are still (the kernel folds them every 2 s); --rate row for row. */
  private static void statsAsIpvsadm(Lab lab, KubectlLvs viewer, LabNode director) {
    lab.await("kubectl lvs ln --stats = ipvsadm -Ln --stats on " + director.name() + " (counters unchanged around it)", CONVERGE, () -> {
      String before = Shell.inNs(director.ns(), "ipvsadm", "-Ln", "--stats").orThrow();
      KubectlLvs.Run stats = viewer.run("--node", director.name(), "ln", "--stats");
      String after = Shell.inNs(director.ns(), "ipvsadm", "-Ln", "--stats").orThrow();
      Map<String, List<String>> kernel = IpvsadmListing.services(before);
      return stats.exit() == 0 && kernel.equals(IpvsadmListing.services(after))
          && kernel.equals(IpvsadmListing.services(stats.section(director.name())))
          && kernel.keySet().stream().anyMatch(k -> k.startsWith("TCP " + DR_VIP + ":80 ") && !k.endsWith(" 0 0 0 0 0"));
    });
    KubectlLvs.Run rate = viewer.run("--node", director.name(), "ln", "--rate");
    assertThat(rate.exit()).as(rate.toString()).isZero();
    assertThat(rows(IpvsadmListing.services(rate.section(director.name())))).as(rate.toString())
        .isEqualTo(rows(IpvsadmListing.services(Shell.inNs(director.ns(), "ipvsadm", "-Ln", "--rate").orThrow())));
  }

  @Test
  @DisplayName("kubectl lvs without the viewer roles: one refusal line; with an agent down: one line for its node")
  void refusalsAndAgentDownAreOneLine(Lab lab) {
    KubectlLvs.Run stranger = new KubectlLvs(lab, ApiServer.User.STRANGER).run("ln");
    assertThat(stranger.exit()).as(stranger.toString()).isEqualTo(1);
    assertThat(stranger.out()).isEmpty();
    assertThat(stranger.err().strip()).as(stranger.toString()).isEqualTo("kubectl-lvs: no permission to list the node agents "
        + "(pods in namespace " + AgentProxy.NAMESPACE + "): User \"" + ApiServer.User.STRANGER.userName()
        + "\" cannot list resource \"pods\" in API group \"\" in the namespace \"" + AgentProxy.NAMESPACE
        + "\" (the chart's viewer roles grant it: rbac.viewers)");

    LabNode spare = lab.spare();
    lab.agent(spare.name()).kill9();
    try {
      KubectlLvs.Run down = new KubectlLvs(lab, ApiServer.User.VIEWER).run("ln");
      assertThat(down.exit()).as("a node did not answer: " + down).isEqualTo(2);
      assertThat(down.section(spare.name()).strip()).as(down.toString())
          .startsWith("agent " + AgentProxy.podName(spare) + " on node " + spare.name() + " does not answer")
          .doesNotContain("\n");
      assertThat(down.section(lab.director().name())).as(down.toString()).startsWith("Prot LocalAddress:Port");
      lab.results().figure("stranger: \"" + stranger.err().strip() + "\"; agent down: \"" + down.section(spare.name()).strip() + "\"");
    } finally {
      lab.agent(spare.name()).start();
      lab.awaitAgentReady(spare.name(), Duration.ofSeconds(420));
    }
  }

  /** -Lnc lines without expiry. */
  static List<String> connections(String text) {
    return IpvsadmListing.connections(text).stream().map(IpvsadmListing.Connection::withoutExpiry)
        .map(c -> c.substring(0, c.lastIndexOf(' '))).toList();
  }

  /** The row names of a --rate listing (the figures move between two reads). */
  static Map<String, List<String>> rows(Map<String, List<String>> listing) {
    Map<String, List<String>> out = new java.util.TreeMap<>();
    listing.forEach((k, v) -> out.put(k.split(" ")[1], v.stream().map(d -> d.split(" ")[1]).toList()));
    return out;
  }
}
