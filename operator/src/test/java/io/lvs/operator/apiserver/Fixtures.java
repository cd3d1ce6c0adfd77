package io.lvs.operator.apiserver;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lvs.api.v1alpha1.Directors;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.OwnerReport;
import io.lvs.api.v1alpha1.Protocol;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.RealServerPoolSpec;
import io.lvs.api.v1alpha1.RealServerPoolRef;
import io.lvs.api.v1alpha1.Scheduler;
import io.lvs.api.v1alpha1.ServicePort;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import java.util.List;
import java.util.Map;

/** Objects the ITs create on the real API server, as a cluster (kubelet, users) would. */
final class Fixtures {
  private final KubernetesClient client;

  Fixtures(KubernetesClient client) {
    this.client = client;
  }

  void namespace(String ns) {
    client.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
  }

  /** A Node with an InternalIP and a Ready condition, as a kubelet would register it. */
  Node node(String name, String ip, boolean ready, Map<String, String> labels) {
    Node n = client.resource(new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build()).create();
    n.setStatus(new NodeBuilder().withNewStatus()
        .addNewAddress().withType("InternalIP").withAddress(ip).endAddress()
        .withConditions(readyCondition(ready)).endStatus().build().getStatus());
    return client.resource(n).updateStatus();
  }

  void nodeReady(String name, boolean ready) {
    client.nodes().withName(name).editStatus(n -> {
      n.getStatus().setConditions(List.of(readyCondition(ready)));
      return n;
    });
  }

  private static NodeCondition readyCondition(boolean ready) {
    return new NodeConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False").build();
  }

  Pod pod(String ns, String name, String ip, String node, boolean ready, Map<String, String> labels) {
    Pod p = client.resource(new PodBuilder()
        .withNewMetadata().withNamespace(ns).withName(name).withLabels(labels).endMetadata()
        .withNewSpec().withNodeName(node).addNewContainer().withName("web").withImage("web").endContainer().endSpec()
        .build()).create();
    p.setStatus(new PodBuilder().withNewStatus().withPhase("Running").withPodIP(ip)
        .withConditions(new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False").build())
        .endStatus().build().getStatus());
    return client.resource(p).updateStatus();
  }

  void podReady(String ns, String name, boolean ready) {
    client.pods().inNamespace(ns).withName(name).editStatus(p -> {
      p.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False").build()));
      return p;
    });
  }

  RealServerPool pool(String ns, String name, RealServerPoolSpec spec) {
    RealServerPool p = new RealServerPool();
    p.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
    p.setSpec(spec);
    return client.resource(p).create();
  }

  static VirtualServiceSpec spec(String vip, int port, Forwarding fwd, String pool, String directorLabel) {
    return new VirtualServiceSpec(vip, List.of(new ServicePort(null, port, Protocol.TCP, null)), null, null, fwd,
        Scheduler.rr, null, null, null, new RealServerPoolRef(pool), new Directors(Map.of(directorLabel, "true"), "eth0"),
        null);
  }

  VirtualService virtualService(String ns, String name, VirtualServiceSpec spec) {
    VirtualService vs = new VirtualService();
    vs.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
    vs.setSpec(spec);
    return client.resource(vs).create();
  }

  LvsNodeState nodeState(String node) {
    return client.resources(LvsNodeState.class).withName(node).get();
  }

  /**
   * What the node's agent does after applying its spec: report the generation it saw and, per
   * owner, programmed or the errors.
   */
  void agentReports(String node, List<OwnerReport> owners) {
    agentWritesStatus(node, s -> new LvsNodeStateStatus(s.getMetadata().getGeneration(), null, null, owners, null));
  }

  /** A status write as the agent makes it (on the object it read, retried on a 409). */
  void agentWritesStatus(String name, java.util.function.Function<LvsNodeState, LvsNodeStateStatus> status) {
    for (int attempt = 0; ; attempt++) {
      try {
        client.resources(LvsNodeState.class).withName(name).editStatus(s -> {
          s.setStatus(status.apply(s));
          return s;
        });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }
}
