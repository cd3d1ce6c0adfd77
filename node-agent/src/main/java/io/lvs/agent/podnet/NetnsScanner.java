package io.lvs.agent.podnet;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lists the node's network namespaces without asking a container runtime: every process's
 * /proc/PID/ns/net (a pod's sandbox always has its pause or first process in it) and every bind
 * mount under /run/netns (where CNI plugins, containerd and CRI-O pin sandboxes, and ip-netns puts
 * its own). One entry per namespace, by inode; the agent's own (the node's) left out. Needs the
 * host's PID namespace (hostPID) for the first, /run/netns mounted for the second; either alone
 * finds running pods.
 */
public final class NetnsScanner {
  private static final Pattern NS_LINK = Pattern.compile("net:\\[(\\d+)]");
  private static final Pattern PID = Pattern.compile("\\d+");

  private final Path proc;
  private final Path runNetns;

  public NetnsScanner(Path proc, Path runNetns) {
    this.proc = proc;
    this.runNetns = runNetns;
  }

  public static NetnsScanner host() {
    return new NetnsScanner(Path.of("/proc"), Path.of("/run/netns"));
  }

  /** The node's namespace: the one this agent (hostNetwork) runs in. */
  public long hostInode() {
    return inodeOfLink(proc.resolve("self/ns/net"))
        .orElseThrow(() -> new IllegalStateException("cannot read " + proc.resolve("self/ns/net")));
  }

  /** Every namespace but the node's, one path each. */
  public List<NetnsRef> scan() {
    List<NetnsRef> found = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(runNetns)) {
      for (Path p : ds) {
        inodeOfFile(p).ifPresent(i -> found.add(new NetnsRef(p.toString(), i)));
      }
    } catch (IOException e) {
      // no /run/netns on this node (or not mounted into the agent): /proc alone
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc)) {
      for (Path p : ds) {
        if (PID.matcher(p.getFileName().toString()).matches()) {
          Path link = p.resolve("ns/net");
          inodeOfLink(link).ifPresent(i -> found.add(new NetnsRef(link.toString(), i)));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + proc + ": " + e.getMessage(), e);
    }
    return distinct(found, hostInode());
  }

  /**
   * One path per inode, the host's left out. A /run/netns path is preferred (it lives as long as
   * the sandbox; a process may exit), then the lowest PID (the sandbox's first process).
   */
  static List<NetnsRef> distinct(Collection<NetnsRef> refs, long hostInode) {
    Map<Long, NetnsRef> byInode = new TreeMap<>();
    Comparator<NetnsRef> preference = Comparator.comparing((NetnsRef r) -> !r.path().contains("/netns/"))
        .thenComparing(r -> pidOf(r.path())).thenComparing(NetnsRef::path);
    for (NetnsRef r : refs) {
      if (r.inode() != hostInode) {
        byInode.merge(r.inode(), r, (a, b) -> preference.compare(a, b) <= 0 ? a : b);
      }
    }
    return List.copyOf(byInode.values());
  }

  private static long pidOf(String path) {
    Matcher m = Pattern.compile("/(\\d+)/ns/net$").matcher(path);
    return m.find() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
  }

  /** The inode in a /proc/PID/ns/net link's text, "net:[4026531840]"; empty when the process is gone. */
  static Optional<Long> inodeOfLink(Path link) {
    try {
      Matcher m = NS_LINK.matcher(Files.readSymbolicLink(link).toString());
      return m.matches() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty(); // the process exited, or a kernel thread's: not a namespace we can use
    }
  }

  /** A bind-mounted namespace file's inode (nsfs); empty when not mounted (a stale name). */
  static Optional<Long> inodeOfFile(Path p) {
    try {
      Object ino = Files.getAttribute(p, "unix:ino");
      long i = ((Number) ino).longValue();
      // an unmounted name under /run/netns is an empty file of the tmpfs, not a namespace
      return Files.size(p) == 0 && Files.getAttribute(p, "unix:dev").equals(Files.getAttribute(p.getParent(), "unix:dev"))
          ? Optional.empty() : Optional.of(i);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
