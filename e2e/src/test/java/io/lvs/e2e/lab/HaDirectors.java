package io.lvs.e2e.lab;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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

  /** A single holder that still holds, its Lease agreeing, {@code settle} after it was first seen. */
  public String awaitSettledHolder(String vip, Duration settle, Duration timeout) {
    String[] seen = new String[1];
    lab.await("a director holding " + vip + " for " + settle.toSeconds() + " s", timeout, () -> {
      String h = awaitSingleHolder(vip, timeout);
      Lab.pause(settle);
      seen[0] = h;
      return holders(vip).equals(List.of(h)) && h.equals(leaseHolder(vip).orElse(null));
    });
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

  /**
   * A node dying: its link down and its agent SIGKILLed at the same instant, by one shell in the
   * node's namespace, so neither its kernel nor its agent answers. Returns that instant on the
   * VM's uptime clock. (Killing from here first and forking {@code ip} after left the node serving
   * for up to 0.9 s under emulation after its agent was gone, which hid that much of every gap.)
   */
  public double die(String node) {
    long pid = lab.agent(node).pid();
    String out = Shell.inNs(node, "sh", "-c", "ip link set eth0 down && kill -9 " + pid + " && read up _ </proc/uptime"
        + " && echo $up").orThrow().strip();
    lab.agent(node).kill9(); // reaps it
    return Double.parseDouble(out);
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

  /**
   * The last line of {@code node}'s agent log with {@code event}, if any: the agent's own account
   * of a takeover (when it added the VIP, what dated the old Lease's expiry, its write's round trip).
   */
  public Optional<String> lastLogLine(String node, String event) {
    try (var lines = Files.lines(lab.agent(node).log(), StandardCharsets.UTF_8)) {
      return lines.filter(l -> l.contains("event=" + event) || l.contains("event=\"" + event + "\""))
          .reduce((a, b) -> b);
    } catch (IOException | UncheckedIOException e) {
      return Optional.empty();
    }
  }

  /** A {@code key=value} or {@code key="value"} field of a log line. */
  public static Optional<String> field(String line, String key) {
    Matcher m = Pattern.compile("\\b" + key + "=(\"([^\"]*)\"|[^ \"]*)").matcher(line);
    return m.find() ? Optional.of(m.group(2) != null ? m.group(2) : m.group(1)) : Optional.empty();
  }

  /** Whether the node runs an IPVS backup sync daemon: its agent has configured the VIP's election. */
  public boolean backupDaemon(String node) {
    return Shell.inNs(node, "ipvsadm", "-L", "--daemon").stdout().contains("backup sync daemon");
  }

  /** Cuts (or restores) one node's link only: its agent keeps running, cut from API server and peers. */
  public void link(String node, boolean up) {
    Shell.inNs(node, "ip", "link", "set", "eth0", up ? "up" : "down").orThrow();
  }

  /**
   * A cut of one node from the API server (198.18.0.1:6443) only, its data path up, made by one
   * line written to an {@code nft -i} already running in the node's namespace: forking nft at the
   * cut takes up to a second under emulation, which would count against the agent's fence.
   */
  public ApiCut prepareApiCut(String node) {
    return new ApiCut(node);
  }

  /** See {@link #prepareApiCut}; closing it removes the cut. */
  public final class ApiCut implements AutoCloseable {
    public static final String TABLE = "lvs-e2e-cut";
    private final String node;
    private final Process nft;
    private final Writer in;

    private ApiCut(String node) {
      this.node = node;
      try {
        nft = new ProcessBuilder(Shell.nsCommand(node, "nft", "-i")).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start nft -i in " + node, e);
      }
      in = new OutputStreamWriter(nft.getOutputStream(), StandardCharsets.UTF_8);
      // the table and its chain now, empty: nft has started and answers before the cut, which is then one rule
      send("add table inet " + TABLE + "; add chain inet " + TABLE + " out { type filter hook output priority 0; }");
      lab.await("nft -i ready in " + node, Duration.ofSeconds(60), () -> listed().contains("chain out"));
    }

    private String listed() {
      return Shell.inNs(node, "nft", "list", "table", "inet", TABLE).stdout();
    }

    private void send(String line) {
      try {
        in.write(line + "\n");
        in.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write to nft -i in " + node, e);
      }
    }

    /** Cuts now; the instant returned is taken before the rule is written (an upper bound on any delay measured from it). */
    public Instant cut() {
      Instant cutAt = Instant.now();
      send("add rule inet " + TABLE + " out ip daddr " + LabNetwork.GATEWAY + " tcp dport " + ApiServer.PORT + " drop");
      // the rule is really in place (checked after the instant above was taken)
      lab.await("the cut of " + node + " in nft", Duration.ofSeconds(30), () -> listed().contains("drop"));
      return cutAt;
    }

    @Override
    public void close() {
      nft.destroy();
      Shell.inNs(node, "nft", "delete", "table", "inet", TABLE).orThrow();
    }
  }

  private static String match(Pattern p, String text, String what) {
    Matcher m = p.matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("no MAC for " + what + " in: " + text);
    }
    return m.group(1);
  }
}
