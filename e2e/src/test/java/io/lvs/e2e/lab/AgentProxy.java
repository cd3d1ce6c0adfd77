package io.lvs.e2e.lab;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The path from the host's API server to each node agent's HTTP views, for its pod proxy (what
 * {@code kubectl lvs} uses): the agents' DaemonSet pods as the API server would hold them, each
 * with a pod IP the API server may dial.
 *
 * <p>The API server refuses to proxy to loopback addresses, and it runs on the host while the
 * agents run in the VM's node namespaces. So the host gets one address per node on its {@code lo}
 * (198.19.253.N for node 198.18.0.N, added and removed by {@link HostControlPlane}); QEMU
 * listens on each at {@link #POD_PORT} and forwards into the VM (lab.sh LAB_HOST_FORWARDS), where
 * a relay passes the connection to the node's agent. A pod's IP is thus where its agent is
 * reached from the API server, as a hostNetwork pod's node address is in a cluster.
 */
public final class AgentProxy implements AutoCloseable {
  /** System property (set by {@link HostControlPlane} for the VM) saying the forwards exist. */
  public static final String PROPERTY = "lvs.e2e.agentProxy";
  /** Namespace and label of the stand-in pods: the chart's (kubectl lvs's defaults). */
  public static final String NAMESPACE = Kube.OPERATOR_NAMESPACE;
  public static final String COMPONENT_LABEL = "app.kubernetes.io/component";
  /** The port the stand-in pods declare (named http) and QEMU listens on, on the host. */
  public static final int POD_PORT = 19720;
  private static final String HOST_PREFIX = "198.19.253.";
  /** The VM's address on QEMU's user network (lab.sh), where the forwards arrive. */
  private static final String VM_ADDRESS = "198.19.255.15";
  /** QEMU's user-network gateway (lab.sh: host=198.19.255.2). */
  private static final String QEMU_GATEWAY = "198.19.255.2";
  private static final int GUEST_PORT_BASE = 19700;

  private final List<LabProcess> relays = new ArrayList<>();

  /** The pod IP standing for node address 198.18.0.N: 198.19.253.N, on the host. */
  public static String podIp(LabNode node) {
    return HOST_PREFIX + lastOctet(node);
  }

  public static String podName(LabNode node) {
    return "lvs-node-agent-" + node.name();
  }

  private static int guestPort(LabNode node) {
    return GUEST_PORT_BASE + lastOctet(node);
  }

  private static int lastOctet(LabNode node) {
    return Integer.parseInt(node.address().substring(node.address().lastIndexOf('.') + 1));
  }

  /** lab.sh's LAB_HOST_FORWARDS for these nodes. */
  static String qemuForwards(List<LabNode> nodes) {
    return nodes.stream().map(n -> podIp(n) + ":" + POD_PORT + "-" + guestPort(n)).collect(Collectors.joining(" "));
  }

  /** On the host: each node's pod IP on lo; empty when done, else why not (e.g. not root). */
  static Optional<String> addHostAddresses(List<LabNode> nodes) {
    for (LabNode n : nodes) {
      Shell.Result r = Shell.run(List.of("ip", "addr", "replace", podIp(n) + "/32", "dev", "lo"));
      if (r.exitCode() != 0) {
        removeHostAddresses(nodes);
        return Optional.of("ip addr replace " + podIp(n) + "/32 dev lo: " + r.stderr().strip());
      }
    }
    return Optional.empty();
  }

  static void removeHostAddresses(List<LabNode> nodes) {
    for (LabNode n : nodes) {
      Shell.run(List.of("ip", "addr", "del", podIp(n) + "/32", "dev", "lo"));
    }
  }

  /** In the VM: whether the host made the forwards (else kubectl lvs cannot reach the agents). */
  public static boolean forwarded() {
    return Boolean.getBoolean(PROPERTY);
  }

  /** In the VM: one relay per node, from its forward to its agent's port, and its stand-in pod. */
  public void start(KubernetesClient client, List<LabNode> nodes, Path logs) {
    // QEMU keeps a forwarded connection's source when it is not loopback: the API server's
    // 198.19.253.N. The replies go back through QEMU's gateway, which owns the connection.
    Shell.ok("ip", "route", "replace", HOST_PREFIX + "0/24", "via", QEMU_GATEWAY);
    for (LabNode n : nodes) {
      LabProcess relay = new LabProcess("agent-relay/" + n.name(), List.of("socat",
          "TCP-LISTEN:" + guestPort(n) + ",bind=" + VM_ADDRESS + ",fork,reuseaddr",
          "TCP:" + n.address() + ":" + JavaLauncher.AGENT_HTTP_PORT), Map.of(), logs.resolve("agent-relay-" + n.name() + ".log"));
      relays.add(relay.start());
      registerPod(client, n);
    }
  }

  /** The DaemonSet's pod as the API server holds it once running (no kubelet here: status by hand). */
  static void registerPod(KubernetesClient client, LabNode node) {
    Pod p = new PodBuilder().withNewMetadata().withName(podName(node)).withNamespace(NAMESPACE)
        .addToLabels(COMPONENT_LABEL, "node-agent").endMetadata()
        .withNewSpec().withNodeName(node.name()).withHostNetwork(true).withAutomountServiceAccountToken(false)
        .addNewContainer().withName("node-agent").withImage("lvs-node-agent").addNewPort().withName("http")
        .withContainerPort(POD_PORT).endPort().endContainer().endSpec().build();
    client.pods().inNamespace(NAMESPACE).resource(p).create();
    client.pods().inNamespace(NAMESPACE).withName(podName(node)).editStatus(x -> new PodBuilder(x)
        .withStatus(new PodStatusBuilder().withPhase("Running").withPodIP(podIp(node)).withHostIP(podIp(node)).build())
        .build());
  }

  boolean started() {
    return !relays.isEmpty();
  }

  @Override
  public void close() {
    relays.forEach(r -> r.stop(Duration.ofSeconds(5)));
  }
}
