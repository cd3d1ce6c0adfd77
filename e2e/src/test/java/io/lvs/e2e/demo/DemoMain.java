package io.lvs.e2e.demo;

import io.lvs.e2e.lab.Client;
import io.lvs.e2e.lab.Ipvsadm;
import io.lvs.e2e.lab.Kube;
import io.lvs.e2e.lab.Lab;
import io.lvs.e2e.lab.Manifests;
import io.lvs.e2e.lab.Shell;
import io.lvs.e2e.lab.WebServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./lvs-lab demo}, inside the kernel-lab VM: builds the lab, starts the operator and the
 * agents, applies the DR example from docs/examples, then shows what happened: the resources as
 * {@code kubectl get lvs} prints them, the director's {@code ipvsadm -Ln}, and which real server
 * answered each request, live.
 */
public final class DemoMain {
  private static final int REQUESTS = 24;
  private static final Duration COUNTER_FOLD = Duration.ofSeconds(3);

  private DemoMain() {}

  public static void main(String[] args) {
    Path module = Path.of(System.getProperty("user.dir"));
    Path binaries = Path.of(System.getProperty("lvs.e2e.kubeBinaries"));
    int status;
    try (Lab lab = Lab.startInfrastructure(module, binaries, DemoMain::say)) {
      lab.startProduct();
      status = run(lab) ? 0 : 1;
    }
    System.exit(status);
  }

  private static boolean run(Lab lab) {
    Path example = lab.moduleDir().resolveSibling("docs/examples/dr-rr.yaml");
    String yaml;
    String vip;
    if (Files.isReadable(example)) {
      yaml = read(example);
      vip = yaml.replaceAll("(?s).*\\n\\s*vip:\\s*([0-9.]+).*", "$1");
      say("applying " + lab.moduleDir().getParent().relativize(example) + " (VIP " + vip + ")");
    } else {
      vip = "198.18.0.100";
      yaml = Manifests.pair(Manifests.nodePool("web-dr", List.of()),
          Manifests.virtualService("web-dr", vip, "DirectRouting", "rr", "web-dr", List.of()));
      say("docs/examples/dr-rr.yaml not found: applying the same DR service built in (VIP " + vip + ")");
    }
    System.out.println(indent(yaml.strip()));
    lab.kube().apply(yaml);

    String director = lab.director().ns();
    String key = "-t " + vip + ":" + WebServers.PORT;
    try {
      Duration took = lab.await("the director programmed", Duration.ofSeconds(120), () ->
          Ipvsadm.service(director, key).filter(s -> s.destinations().size() == lab.realServers().size()).isPresent());
      say("the director's kernel holds the service " + String.format("%.1f s", took.toMillis() / 1000.0) + " after the apply");
      lab.await("real servers hold the VIP on lo", Duration.ofSeconds(120), () -> lab.realServers().stream().allMatch(rs ->
          RealServerView.of(rs.name(), Shell.inNs(rs.ns(), "ip", "-o", "addr", "show", "dev", "lo").stdout(), "", "").holds(vip)));
    } catch (AssertionError e) {
      say("FAILED: " + e.getMessage());
      return false;
    }
    awaitReady(lab);

    section("kubectl get lvs -n " + Kube.NAMESPACE + "   (the resources' printer columns)");
    System.out.println(kubectl(lab, "get", "lvs", "-n", Kube.NAMESPACE, "-o", "wide"));
    section("ip netns exec " + director + " ipvsadm -Ln   (the director's kernel, read by Debian's ipvsadm)");
    System.out.println(Ipvsadm.list(director));
    section("the real servers: ip -o -4 addr show dev lo, and the ARP sysctls DR needs (set by their agents)");
    for (var rs : lab.realServers()) {
      System.out.println(RealServerView.of(rs.name(),
          Shell.inNs(rs.ns(), "ip", "-o", "-4", "addr", "show", "dev", "lo").stdout(),
          Shell.inNs(rs.ns(), "cat", "/proc/sys/net/ipv4/conf/all/arp_ignore").stdout(),
          Shell.inNs(rs.ns(), "cat", "/proc/sys/net/ipv4/conf/all/arp_announce").stdout()).line(vip));
    }
    System.out.println("(" + lab.spare().name() + " also runs a web server but has no " + Lab.WEB_LABEL + "=" + Lab.WEB_VALUE
        + " label, so the pool leaves it out: no request reaches it; the e2e scale scenario labels it)");

    section("GET http://" + vip + "/ from the client namespace (one TCP connection each), " + REQUESTS + " times: who answered");
    Map<String, Integer> counts = new TreeMap<>();
    AtomicInteger n = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    try (Client.Loop loop = Client.continuous(vip, WebServers.PORT, Duration.ofMillis(150), r -> {
      int i = n.incrementAndGet();
      if (i > REQUESTS) {
        return;
      }
      synchronized (counts) {
        if (r.ok()) {
          counts.merge(r.server(), 1, Integer::sum);
        } else {
          failed.incrementAndGet();
        }
        System.out.printf("request %2d → %-6s  %s%s%n", i, r.ok() ? r.server() : "FAILED", counts,
            failed.get() > 0 ? "  failed=" + failed.get() : "");
      }
    })) {
      loop.awaitAtLeast(REQUESTS, Duration.ofSeconds(180));
    }
    // the kernel adds up its per-CPU counters every 2 s (the rate estimator): read after that, or
    // the last request may be missing from Conns
    Lab.pause(COUNTER_FOLD);
    section("ipvsadm -Ln --stats on " + director + "   (read " + COUNTER_FOLD.toSeconds()
        + " s after the last request: the kernel folds its counters every 2 s. DR: replies bypass the director, OutPkts 0)");
    System.out.println(Shell.inNs(director, "ipvsadm", "-Ln", "--stats").stdout());
    section("kubectl get lvs -n " + Kube.NAMESPACE);
    System.out.println(kubectl(lab, "get", "lvs", "-n", Kube.NAMESPACE));
    section("kubectl get lvsns   (LvsNodeState: what the operator asked of each node, what its agent reports the kernel holds)");
    System.out.println(kubectl(lab, "get", "lvsns", "-o", "wide"));
    section("kubectl describe virtualservice -n " + Kube.NAMESPACE + "   (conditions and Events)");
    System.out.println(kubectl(lab, "describe", "virtualservice", "-n", Kube.NAMESPACE));
    boolean ok = failed.get() == 0 && counts.size() == lab.realServers().size();
    say(ok ? "demo done: " + REQUESTS + " requests through IPVS that only the operator and agents programmed, " + counts
        : "demo FAILED: " + counts + " failed=" + failed.get());
    return ok;
  }

  private static void awaitReady(Lab lab) {
    try {
      lab.await("VirtualService Ready", Duration.ofSeconds(60), () -> lab.kube().kind("VirtualService").list().getItems().stream()
          .allMatch(vs -> lab.kube().condition("VirtualService", vs.getMetadata().getName(), "Ready")
              .filter(c -> c.status().equals("True")).isPresent()));
    } catch (AssertionError e) {
      say("(status not Ready yet: " + e.getMessage().split("\n")[0] + ")");
    }
  }

  private static String kubectl(Lab lab, String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of(lab.apiServer().kubectl().toString(),
        "--kubeconfig", lab.apiServer().kubeconfigFile().toString()));
    cmd.addAll(List.of(args));
    Shell.Result r = Shell.run(cmd);
    return r.ok() ? r.stdout() : "kubectl failed: " + r.stderr();
  }

  private static void section(String title) {
    System.out.println();
    System.out.println("==== " + title);
  }

  private static void say(String line) {
    System.out.println(line);
  }

  private static String indent(String text) {
    return "    " + text.replace("\n", "\n    ");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
