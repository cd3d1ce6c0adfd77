package io.lvs.e2e.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What the cluster lane reads and does on the cluster: status conditions, events, rollouts. */
final class ClusterStatus {
  static final ResourceDefinitionContext VS = new ResourceDefinitionContext.Builder().withGroup("lvs.io")
      .withVersion("v1alpha1").withPlural("virtualservices").withKind("VirtualService").withNamespaced(true).build();
  private static final String COMPONENT = "app.kubernetes.io/component";

  private ClusterStatus() {}

  /** "STATUS REASON MESSAGE" of a default-namespace VirtualService's condition, or "absent". */
  @SuppressWarnings("unchecked")
  static String condition(KubernetesClient kube, String vs, String type) {
    GenericKubernetesResource o = kube.genericKubernetesResources(VS).inNamespace("default").withName(vs).get();
    if (o != null && o.getAdditionalProperties().get("status") instanceof Map<?, ?> status
        && status.get("conditions") instanceof List<?> conditions) {
      for (Map<String, Object> c : (List<Map<String, Object>>) conditions) {
        if (type.equals(c.get("type"))) {
          return c.get("status") + " " + c.get("reason") + " " + c.get("message");
        }
      }
    }
    return "absent";
  }

  /** "REASON MESSAGE" of the events about a default-namespace VirtualService. */
  static List<String> events(KubernetesClient kube, String vs) {
    return kube.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> vs.equals(e.getInvolvedObject().getName()) && "VirtualService".equals(e.getInvolvedObject().getKind()))
        .map(e -> e.getReason() + " " + e.getMessage()).toList();
  }

  static void delete(KubernetesClient kube, String vs) {
    kube.genericKubernetesResources(VS).inNamespace("default").withName(vs).delete();
  }

  /** kubectl rollout restart: a new pod template annotation. */
  static void restart(KubernetesClient kube, String ns, String kind, String component) {
    String at = Instant.now().toString();
    if (kind.equals("DaemonSet")) {
      kube.apps().daemonSets().inNamespace(ns).withName(name(kube, ns, kind, component)).edit(d -> {
        d.getSpec().getTemplate().getMetadata().getAnnotations().put("kubectl.kubernetes.io/restartedAt", at);
        return d;
      });
    } else {
      kube.apps().deployments().inNamespace(ns).withName(name(kube, ns, kind, component)).edit(d -> {
        d.getSpec().getTemplate().getMetadata().getAnnotations().put("kubectl.kubernetes.io/restartedAt", at);
        return d;
      });
    }
  }

  /** kubectl rollout status: the newest template everywhere, all of it ready, nothing old left. */
  static boolean rolledOut(KubernetesClient kube, String ns, String kind, String component) {
    if (kind.equals("DaemonSet")) {
      DaemonSet d = kube.apps().daemonSets().inNamespace(ns).withLabel(COMPONENT, component).list().getItems().get(0);
      var s = d.getStatus();
      return s != null && Objects.equals(s.getObservedGeneration(), d.getMetadata().getGeneration())
          && Objects.equals(s.getUpdatedNumberScheduled(), s.getDesiredNumberScheduled())
          && Objects.equals(s.getNumberReady(), s.getDesiredNumberScheduled())
          && Objects.equals(s.getNumberAvailable(), s.getDesiredNumberScheduled());
    }
    Deployment d = kube.apps().deployments().inNamespace(ns).withLabel(COMPONENT, component).list().getItems().get(0);
    var s = d.getStatus();
    Integer want = d.getSpec().getReplicas();
    return s != null && Objects.equals(s.getObservedGeneration(), d.getMetadata().getGeneration())
        && Objects.equals(s.getUpdatedReplicas(), want) && Objects.equals(s.getReadyReplicas(), want)
        && Objects.equals(s.getReplicas(), want);
  }

  private static String name(KubernetesClient kube, String ns, String kind, String component) {
    return kind.equals("DaemonSet")
        ? kube.apps().daemonSets().inNamespace(ns).withLabel(COMPONENT, component).list().getItems().get(0).getMetadata().getName()
        : kube.apps().deployments().inNamespace(ns).withLabel(COMPONENT, component).list().getItems().get(0).getMetadata().getName();
  }
}
