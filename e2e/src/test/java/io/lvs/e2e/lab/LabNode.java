package io.lvs.e2e.lab;

import java.util.Map;

/**
 * One simulated Kubernetes node: a network namespace named like the node, with one interface
 * (eth0) on the lab bridge holding its InternalIP, and the labels its Node object carries.
 */
public record LabNode(String name, String address, Role role, Map<String, String> labels) {
  /** What the lab built the node for; the scenarios pick nodes by it. */
  public enum Role {
    DIRECTOR,
    REAL_SERVER
  }

  public LabNode {
    labels = Map.copyOf(labels);
  }

  /** The network namespace that stands for the node's host network. */
  public String ns() {
    return name;
  }
}
