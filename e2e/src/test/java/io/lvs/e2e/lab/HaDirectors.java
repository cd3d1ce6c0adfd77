package io.lvs.e2e.lab;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The HA scenarios' view of the two directors: who holds a VIP (address on eth0, the agents'
 * Lease, the VirtualService's status), the MACs the client sees, and a node that dies (agent
 * SIGKILLed, link down) and comes back as after a reboot.
 */
public final class HaDirectors {
  private static final Pattern ETHER = Pattern.compile("link/ether ([0-9a-f:]{17})");
  private static final Pattern LLADDR = Pattern.compile("lladdr ([0-9a-f:]{17})");
  private final Lab lab;

  public HaDirectors(Lab lab) {
    this.lab = lab;
  }

  /** The directors holding the VIP on eth0 right now (the kernel's view; one expected). */
  public List<String> holders(String vip) {
    return lab.haDirectors().stream().filter(d -> Kernel.hasAddress(d.ns(), "eth0", vip)).map(LabNode::name).toList();
  }

  /** The one holder once exactly one director holds the VIP, its Lease naming it too. */
  public String awaitSingleHolder(String vip, Duration timeout) {
    String[] seen = new String[1];
    lab.await("exactly one director holding " + vip + " (eth0 and Lease agree)", timeout, () -> {
      List<String> h = holders(vip);
      seen[0] = h.size() == 1 ? h.get(0) : null;
      return seen[0] != null && seen[0].equals(leaseHolder(vip).orElse(null));
    }, () -> "holders on eth0: " + holders(vip) + ", Lease: " + leaseHolder(vip));
    return seen[0];
  }

  public String other(String director) {
    return lab.haDirectors().stream().map(LabNode::name).filter(n -> !n.equals(director)).findFirst().orElseThrow();
  }

  /** spec.holderIdentity of lvs-ha-vip-VIP in the operator's namespace. */
  public Optional<String> leaseHolder(String vip) {
    Lease l = lab.kube().client().leases().inNamespace(Kube.OPERATOR_NAMESPACE)
        .withName("lvs-ha-vip-" + vip.replace('.', '-')).get();
    return Optional.ofNullable(l).map(x -> x.getSpec().getHolderIdentity()).filter(s -> !s.isEmpty());
  }

  /** status.activeDirector of a VirtualService, read through the API. */
  public Optional<String> activeDirector(String virtualService) {
    return lab.kube().get("VirtualService", virtualService)
        .map(GenericKubernetesResource::getAdditionalProperties)
        .map(p -> p.get("status")).filter(Map.class::isInstance).map(s -> ((Map<?, ?>) s).get("activeDirector"))
        .map(Object::toString);
  }

  /** Messages of the lab namespace's Events about a VirtualService whose reason is a failover's. */
  public List<String> failoverEvents(String virtualService) {
    return lab.kube().client().v1().events().inNamespace(Kube.NAMESPACE).list().getItems().stream()
        .filter(e -> virtualService.equals(e.getInvolvedObject().getName()))
        .filter(e -> List.of("HolderLost", "Fenced", "Preempted", "Released").contains(e.getReason()))
        .map(e -> e.getReason() + ": " + e.getMessage()).toList();
  }

  public String mac(String node) {
    return match(ETHER, Shell.inNs(node, "ip", "-o", "link", "show", "eth0").stdout(), "eth0 of " + node);
  }

  /** The MAC the client's neighbour table has for the VIP, or "" when it has none. */
  public String clientNeighbour(String vip) {
    String out = Shell.inNs(LabNetwork.CLIENT_NS, "ip", "neigh", "show", vip).stdout();
    Matcher m = LLADDR.matcher(out);
    return m.find() ? m.group(1) : "";
  }

  /** A node dying: its agent SIGKILLed and its link down, so neither its agent nor its kernel answers. */
  public void die(String node) {
    lab.agent(node).kill9();
    Shell.inNs(node, "ip", "link", "set", "eth0", "down").orThrow();
  }

  /**
   * The node back as after a reboot: the VIP and sync daemons, runtime state the kernel loses on a
   * reboot, are gone; link up; a new agent process, waited for until ready.
   */
  public void revive(String node, String vip) {
    Shell.inNs(node, "ip", "addr", "del", vip + "/32", "dev", "eth0");
    Shell.inNs(node, "ipvsadm", "--stop-daemon", "master");
    Shell.inNs(node, "ipvsadm", "--stop-daemon", "backup");
    Shell.inNs(node, "ip", "link", "set", "eth0", "up").orThrow();
    lab.agent(node).start();
    lab.awaitAgentReady(node, Duration.ofSeconds(420));
  }

  /**
   * Why a standby did not take over, as far as the outside can tell: the Lease, its agent's HA
   * metrics, and a thread dump of its JVM (written beside its log) to show a stuck election thread.
   */
  public String standbyDiagnosis(String node, String vip) {
    LabProcess agent = lab.agent(node);
    Path dump = agent.log().resolveSibling("threads-" + node + "-" + System.currentTimeMillis() + ".txt");
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Shell.Result threads = Shell.run(Duration.ofSeconds(60), List.of(jcmd, Long.toString(agent.pid()), "Thread.print"));
    try {
      Files.writeString(dump, threads.stdout());
    } catch (IOException e) {
      // the diagnosis is best effort; the failure it explains is reported anyway
    }
    String metrics = Shell.run(Duration.ofSeconds(20), List.of("curl", "-s", "-m", "10",
        "http://" + lab.node(node).address() + ":" + JavaLauncher.AGENT_HTTP_PORT + "/metrics")).stdout()
        .lines().filter(l -> l.startsWith("lvs_ha_")).collect(Collectors.joining("\n  "));
    return "Lease holder: " + leaseHolder(vip) + "; agent " + node + " alive " + agent.isAlive() + "; thread dump ("
        + (threads.ok() ? "ok" : "failed") + ") in " + dump + "; its lvs_ha_ metrics:\n  " + metrics
        + "\n  last log lines:\n" + agent.tail(15);
  }

  /** Cuts (or restores) one node's link only: its agent keeps running, cut from API server and peers. */
  public void link(String node, boolean up) {
    Shell.inNs(node, "ip", "link", "set", "eth0", up ? "up" : "down").orThrow();
  }

  /** Drops this node's packets to the API server (198.18.0.1:6443) only; the data path stays up. */
  public void cutFromApiServer(String node, boolean cut) {
    // one statement per line: nft's parser wants a newline or ';' after each closing brace
    String rule = "table inet lvs-e2e-cut {\n chain out {\n  type filter hook output priority 0;\n  ip daddr "
        + LabNetwork.GATEWAY + " tcp dport " + ApiServer.PORT + " drop\n }\n}\n";
    Shell.Result r = cut ? Shell.shInNs(node, "echo '" + rule + "' | nft -f -") : Shell.inNs(node, "nft", "delete", "table", "inet", "lvs-e2e-cut");
    r.orThrow();
  }

  private static String match(Pattern p, String text, String what) {
    Matcher m = p.matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("no MAC for " + what + " in: " + text);
    }
    return m.group(1);
  }
}
