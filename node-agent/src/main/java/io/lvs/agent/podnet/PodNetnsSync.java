package io.lvs.agent.podnet;

import io.lvs.agent.apply.Applier;
import io.lvs.agent.apply.ApplyReport;
import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.diff.Differ;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.ownership.FileOwnershipStore;
import io.lvs.agent.podnet.PodNetnsDecisions.Action;
import io.lvs.agent.podnet.PodNetnsDecisions.Configure;
import io.lvs.agent.podnet.PodNetnsDecisions.Forget;
import io.lvs.agent.podnet.PodNetnsDecisions.NotConfigured;
import io.lvs.agent.podnet.PodNetnsDecisions.Recorded;
import io.lvs.agent.podnet.PodNetnsDecisions.Undo;
import io.lvs.agent.rtnl.NetlinkRtnlClient;
import io.lvs.agent.sysctl.ProcSysctl;
import io.lvs.api.v1alpha1.PodNamespaceReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converges the pod real servers' namespaces on what is wanted: finds each pod's namespace by its
 * IP ({@link NetnsScanner}), runs the agent's own {@link Applier} inside it with an owned set kept
 * in {@code stateDir/<podIp>@<inode>/} (so only what the agent added is ever removed, and a
 * sysctl goes back to the pod's own value), and undoes records of pods no longer wanted. A
 * recreated sandbox is a new inode: configured afresh, the old record forgotten with its namespace.
 * Scans only while something is wanted or recorded. One sync at a time.
 */
public final class PodNetnsSync implements PodNamespaces {
  private static final Logger LOG = LoggerFactory.getLogger(PodNetnsSync.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final NetnsScanner scanner;
  private final Path stateDir;

  public PodNetnsSync(NetnsScanner scanner, Path stateDir) {
    this.scanner = scanner;
    this.stateDir = stateDir;
  }

  /** Per owner, one report per pod real server of it on this node. */
  @Override
  public Map<String, List<PodNamespaceReport>> apply(PodRealServers want) {
    List<Recorded> recorded = recorded();
    Map<String, List<PodNamespaceReport>> out = new TreeMap<>();
    if (want.pods().isEmpty() && recorded.isEmpty()) {
      return out;
    }
    List<NetnsRef> namespaces;
    try {
      namespaces = scanner.scan();
    } catch (RuntimeException e) {
      // the node's own part was applied already; only the pods are reported, not the whole sync
      want.pods().forEach((ip, w) -> report(out, w, ip, new PodNamespaceReport(ip.getHostAddress(), false, null,
          "cannot list this node's network namespaces: " + e.getMessage())));
      return out;
    }
    Map<InetAddress, List<NetnsRef>> holders = holders(namespaces);
    for (Action a : PodNetnsDecisions.decide(want.pods().keySet(), recorded, holders, namespaces)) {
      if (a instanceof Configure c) {
        PodRealServers.Want w = want.pods().get(c.podIp());
        report(out, w, c.podIp(), configure(c, w.desired()));
      } else if (a instanceof NotConfigured n) {
        report(out, want.pods().get(n.podIp()), n.podIp(), new PodNamespaceReport(n.podIp().getHostAddress(), false, null,
            n.reason()));
      } else if (a instanceof Undo u) {
        undo(u);
      } else if (a instanceof Forget f) {
        delete(stateDir.resolve(f.record().dirName()));
      }
    }
    return out;
  }

  private static void report(Map<String, List<PodNamespaceReport>> out, PodRealServers.Want w, InetAddress ip,
      PodNamespaceReport r) {
    w.owners().forEach(o -> out.computeIfAbsent(o, k -> new ArrayList<>()).add(r));
  }

  private PodNamespaceReport configure(Configure c, DesiredState desired) {
    String ip = c.podIp().getHostAddress();
    try {
      ApplyReport r = applyIn(c.netns(), new Recorded(ip, c.netns().inode()), desired);
      List<String> problems = new ArrayList<>();
      r.problems().forEach(p -> problems.add(p.toString()));
      r.conflicts().forEach(x -> problems.add(x.toString()));
      return new PodNamespaceReport(ip, problems.isEmpty(), c.netns().describe(),
          problems.isEmpty() ? null : String.join("; ", problems));
    } catch (RuntimeException e) {
      return new PodNamespaceReport(ip, false, c.netns().describe(), "configure: " + e.getMessage());
    }
  }

  private void undo(Undo u) {
    try {
      ApplyReport r = applyIn(u.netns(), u.record(), DesiredState.EMPTY);
      if (r.problems().isEmpty()) {
        delete(stateDir.resolve(u.record().dirName()));
      } else {
        LOG.atWarn().addKeyValue("pod", u.record().podIp()).addKeyValue("netns", u.netns().describe())
            .addKeyValue("problems", r.problems().size()).log("pod namespace not fully undone; retried next sync");
      }
    } catch (RuntimeException e) {
      LOG.atWarn().addKeyValue("pod", u.record().podIp()).addKeyValue("error", e.getMessage()).log("pod undo failed");
    }
  }

  private ApplyReport applyIn(NetnsRef ns, Recorded record, DesiredState desired) {
    Path dir = stateDir.resolve(record.dirName());
    return NetnsThread.call(ns, TIMEOUT, () -> {
      try (NetlinkRtnlClient rtnl = NetlinkRtnlClient.open(null)) {
        // opened on this thread, inside the pod: the socket and /proc/sys/net are the pod's
        Applier a = new Applier(NoIpvs.INSTANCE, rtnl, new ProcSysctl(), new FileOwnershipStore(dir), new Differ());
        return a.apply(desired);
      }
    });
  }

  /** Per address, the namespaces holding it on an interface other than lo / tunl0 (the pod's own IP). */
  private static Map<InetAddress, List<NetnsRef>> holders(List<NetnsRef> namespaces) {
    Map<InetAddress, List<NetnsRef>> out = new HashMap<>();
    for (NetnsRef ns : namespaces) {
      List<InterfaceAddress> addrs;
      try {
        addrs = NetnsThread.call(ns, TIMEOUT, () -> {
          try (NetlinkRtnlClient rtnl = NetlinkRtnlClient.open(null)) {
            return rtnl.addresses();
          }
        });
      } catch (RuntimeException e) {
        continue; // gone since the scan (a process exited): not a pod's
      }
      for (InterfaceAddress a : addrs) {
        if (!a.interfaceName().equals("lo") && !a.interfaceName().equals("tunl0")) {
          out.computeIfAbsent(a.address(), k -> new ArrayList<>()).add(ns);
        }
      }
    }
    return out;
  }

  private List<Recorded> recorded() {
    if (!Files.isDirectory(stateDir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(stateDir)) {
      return s.map(p -> Recorded.parse(p.getFileName().toString())).filter(r -> r != null)
          .sorted(Comparator.comparing(Recorded::dirName)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("list " + stateDir + ": " + e.getMessage(), e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.atWarn().addKeyValue("dir", dir).addKeyValue("error", e.getMessage()).log("cannot delete pod record");
    }
  }
}
