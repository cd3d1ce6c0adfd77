package io.lvs.e2e.cluster;

import io.lvs.e2e.lab.KernelSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Removes from a node's {@link KernelSnapshot} what Kubernetes itself keeps changing, so that
 * "uninstall leaves the node as before" compares only what the product could have touched:
 * kube-proxy's chains and the rules jumping to them (KUBE-*, and the CNI plugins' CNI-*), the
 * packet counters iptables-nft puts on every rule, the pods' veth devices (a scaled
 * Deployment gets new ones, and iproute2 complains about the peers of deleted ones) and the CNI
 * bridge's carrier (cni0 loses it when its node's last pod goes, e.g. the operator's on uninstall) and the
 * link-local IPv6 address that comes and goes with it. The product's own table, IPVS, addresses and sysctls stay whole.
 */
public final class KubernetesOwnLines {
  private static final Pattern COUNTER = Pattern.compile("counter packets \\d+ bytes \\d+");
  /** The CNI bridge has carrier only while a pod's veth is attached to it. */
  private static final Pattern CARRIER = Pattern.compile("NO-CARRIER,|,LOWER_UP| state (UP|DOWN)| linkdown");

  private KubernetesOwnLines() {}

  public static KernelSnapshot strip(KernelSnapshot snapshot) {
    Map<String, List<String>> by = new LinkedHashMap<>();
    snapshot.byNamespace().forEach((ns, lines) -> by.put(ns, strip(lines)));
    return new KernelSnapshot(by);
  }

  static List<String> strip(List<String> lines) {
    List<String> kept = new ArrayList<>();
    boolean inKubernetesChain = false;
    for (String line : lines) {
      if (line.startsWith("nft chain KUBE-") || line.startsWith("nft chain CNI-")) {
        inKubernetesChain = true;
        continue;
      }
      if (inKubernetesChain) {
        inKubernetesChain = !line.equals("nft }");
        continue;
      }
      // lo's link line comes out of the VM as "." in about half the reads (CI of d819e5b and the lane
      // run after it); the product never changes lo's link, only its addresses, which stay compared
      if (line.equals(".") || (line.startsWith("ip ") && line.contains(": lo: <LOOPBACK"))) {
        continue;
      }
      // iproute2 prints "Peer netns reference is invalid" for a veth whose pod namespace is gone; the
      // bridge's IPv6 link-local address goes and comes with its carrier, as the kernel's addrconf does
      if (line.contains("KUBE-") || line.contains("CNI-") || (line.startsWith("ip ") && line.contains(" veth"))
          || line.contains("Peer netns reference is invalid") || (line.startsWith("ip ") && line.contains("cni0 inet6 fe80:"))) {
        continue;
      }
      String normalised = COUNTER.matcher(line).replaceAll("counter");
      kept.add(line.startsWith("ip ") && line.contains("cni0") ? CARRIER.matcher(normalised).replaceAll("") : normalised);
    }
    return kept;
  }
}
