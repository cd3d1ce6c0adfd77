package io.lvs.agent.podnet;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What to do with each pod namespace in one sync, decided from what is wanted, what the agent
 * recorded earlier (one owned set per pod IP and namespace inode) and the namespaces found. Pure.
 *
 * <ul>
 *   <li>a wanted pod IP held by exactly one namespace: configure it there;
 *   <li>held by none: not configured ("no namespace ... holds"); by several: refused, never guessed;
 *   <li>a record whose pod is no longer wanted, or whose IP moved to a new namespace (sandbox
 *       recreated): undo it in its namespace if that still exists and still holds the pod IP, else
 *       just forget it (the kernel freed everything with the namespace; a new namespace may carry
 *       the freed inode, the kernel reuses them at once, and is not the pod's).
 * </ul>
 *
 * <p>A sandbox recreated with the same IP may get the same inode: its record is then kept and the
 * Applier re-adds what the fresh namespace lacks (it diffs against the kernel, not the record).
 */
public final class PodNetnsDecisions {
  private PodNetnsDecisions() {}

  /** A recorded owned set: the pod IP and the inode of the namespace it was made in. */
  public record Recorded(String podIp, long inode) {
    public String dirName() {
      return podIp + "@" + inode;
    }

    /** The record named by a state directory, or null for a name that is not one. */
    public static Recorded parse(String dirName) {
      int at = dirName.lastIndexOf('@');
      if (at <= 0) {
        return null;
      }
      try {
        return new Recorded(dirName.substring(0, at), Long.parseLong(dirName.substring(at + 1)));
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  /** One step of a sync. */
  public sealed interface Action {}

  public record Configure(InetAddress podIp, NetnsRef netns) implements Action {}

  public record NotConfigured(InetAddress podIp, String reason) implements Action {}

  public record Undo(Recorded record, NetnsRef netns) implements Action {}

  public record Forget(Recorded record) implements Action {}

  public static List<Action> decide(Collection<InetAddress> wanted, Collection<Recorded> recorded,
      Map<InetAddress, List<NetnsRef>> holders, Collection<NetnsRef> namespaces) {
    List<Action> out = new ArrayList<>();
    Set<Recorded> kept = new HashSet<>();
    for (InetAddress ip : wanted) {
      List<NetnsRef> h = holders.getOrDefault(ip, List.of());
      if (h.isEmpty()) {
        out.add(new NotConfigured(ip, "no network namespace on this node holds " + ip.getHostAddress()
            + " (pod not started, or on another node)"));
      } else if (h.size() > 1) {
        out.add(new NotConfigured(ip, h.size() + " network namespaces hold " + ip.getHostAddress() + ": "
            + h.stream().map(NetnsRef::describe).collect(Collectors.joining(", ")) + "; none is configured"));
      } else {
        out.add(new Configure(ip, h.get(0)));
        kept.add(new Recorded(ip.getHostAddress(), h.get(0).inode()));
      }
    }
    for (Recorded r : recorded) {
      if (kept.contains(r)) {
        continue;
      }
      // the kernel reuses a freed namespace's inode at once: only the namespace that still holds
      // the record's pod IP is that pod's; another one with the inode is someone else's now
      NetnsRef ns = holders.entrySet().stream().filter(e -> e.getKey().getHostAddress().equals(r.podIp()))
          .flatMap(e -> e.getValue().stream()).filter(n -> n.inode() == r.inode()).findFirst().orElse(null);
      out.add(ns == null ? new Forget(r) : new Undo(r, ns));
    }
    return out;
  }
}
