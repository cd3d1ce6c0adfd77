package io.lvs.e2e.lab;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lvs.api.v1alpha1.VirtualService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The harness's side of the API: installs the CRDs, registers the lab's nodes, and applies or
 * deletes the resources a user would write, as untyped objects (so invalid input reaches the
 * server exactly as written).
 */
public final class Kube implements AutoCloseable {
  public static final String NAMESPACE = "lab";
  public static final String OPERATOR_NAMESPACE = "lvs-system";
  public static final String API_VERSION = VirtualService.GROUP + "/" + VirtualService.VERSION;
  private static final String FIELD_MANAGER = "lvs-e2e";

  private final KubernetesClient client;

  public Kube(Path kubeconfig) {
    try {
      Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
      config.setRequestTimeout(15_000);
      this.client = new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public KubernetesClient client() {
    return client;
  }

  /**
   * The product's CRDs as checked in (crds/*.yml, what the chart ships) and the test-only
   * EndpointSlice v1 stand-in.
   */
  public void installCrds(List<Path> files) {
    List<CustomResourceDefinition> crds = new ArrayList<>();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        crds.add(client.apiextensions().v1().customResourceDefinitions().load(in).item());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read CRD " + file, e);
      }
    }
    for (CustomResourceDefinition crd : crds) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
    for (CustomResourceDefinition crd : crds) {
      client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
          .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions().stream()
              .anyMatch(x -> x.getType().equals("Established") && x.getStatus().equals("True")), 60, TimeUnit.SECONDS);
    }
  }

  public void createNamespaces() {
    for (String ns : List.of(NAMESPACE, OPERATOR_NAMESPACE)) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    }
  }

  /** A Node as a kubelet would register it: labels, InternalIP, Ready. */
  public void registerNode(LabNode node) {
    String now = Instant.now().toString().replaceAll("\\.\\d+Z$", "Z");
    Node n = new NodeBuilder()
        .withNewMetadata().withName(node.name()).withLabels(node.labels()).endMetadata()
        .withNewStatus()
        .addNewAddress().withType("InternalIP").withAddress(node.address()).endAddress()
        .addNewAddress().withType("Hostname").withAddress(node.name()).endAddress()
        .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
        .withLastHeartbeatTime(now).withLastTransitionTime(now).endCondition()
        .endStatus()
        .build();
    Node created = client.nodes().resource(n).create();
    created.setStatus(n.getStatus());
    client.nodes().resource(created).updateStatus();
  }

  /** Sets (value) or removes (null) one label of a node. */
  public void labelNode(String node, String key, String value) {
    client.nodes().withName(node).edit(n -> {
      if (value == null) {
        n.getMetadata().getLabels().remove(key);
      } else {
        n.getMetadata().getLabels().put(key, value);
      }
      return n;
    });
  }

  /** Server-side apply of one or more YAML documents in the lab namespace. */
  public void apply(String yaml) {
    for (GenericKubernetesResource r : documents(yaml)) {
      resource(r).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }
  }

  /** Plain create of one document: what a user's first kubectl create would send. */
  public GenericKubernetesResource create(String yaml) {
    List<GenericKubernetesResource> docs = documents(yaml);
    if (docs.size() != 1) {
      throw new IllegalArgumentException("create takes one document, got " + docs.size());
    }
    return resource(docs.get(0)).create();
  }

  public Optional<GenericKubernetesResource> get(String kind, String name) {
    return Optional.ofNullable(kind(kind).withName(name).get());
  }

  /** Deletes and waits until the object is gone (the operator's finalizer released). */
  public void delete(String kind, String name, Duration timeout) {
    kind(kind).withName(name).delete();
    Instant deadline = Instant.now().plus(timeout);
    while (kind(kind).withName(name).get() != null) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(kind + " " + NAMESPACE + "/" + name + " still present " + timeout + " after delete (finalizer not released)");
      }
      ApiServer.sleep(Duration.ofMillis(200));
    }
  }

  /** Deletes every VirtualService and RealServerPool of the lab namespace and waits. */
  public void deleteAll(Duration timeout) {
    for (String kind : List.of("VirtualService", "RealServerPool")) {
      for (GenericKubernetesResource r : kind(kind).list().getItems()) {
        delete(kind, r.getMetadata().getName(), timeout);
      }
    }
  }

  /** A condition of an object's status: type → (status, reason, message). */
  public record Condition(String type, String status, String reason, String message) {}

  @SuppressWarnings("unchecked")
  public List<Condition> conditions(String kind, String name) {
    GenericKubernetesResource r = kind(kind).withName(name).get();
    if (r == null || !(r.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
      return List.of();
    }
    Object list = status.get("conditions");
    if (!(list instanceof List<?> items)) {
      return List.of();
    }
    List<Condition> out = new ArrayList<>();
    for (Object o : items) {
      Map<String, Object> c = (Map<String, Object>) o;
      out.add(new Condition(str(c.get("type")), str(c.get("status")), str(c.get("reason")), str(c.get("message"))));
    }
    return out;
  }

  public Optional<Condition> condition(String kind, String name, String type) {
    return conditions(kind, name).stream().filter(c -> c.type().equals(type)).findFirst();
  }

  public NonNamespaceOperation<GenericKubernetesResource, io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>> kind(String kind) {
    String apiVersion = kind.equals("EndpointSlice") ? "discovery.k8s.io/v1" : API_VERSION;
    return client.genericKubernetesResources(apiVersion, kind).inNamespace(NAMESPACE);
  }

  @Override
  public void close() {
    client.close();
  }

  private Resource<GenericKubernetesResource> resource(GenericKubernetesResource r) {
    String ns = r.getMetadata().getNamespace() != null ? r.getMetadata().getNamespace() : NAMESPACE;
    return client.genericKubernetesResources(r.getApiVersion(), r.getKind()).inNamespace(ns).resource(r);
  }

  private static List<GenericKubernetesResource> documents(String yaml) {
    List<GenericKubernetesResource> out = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (!doc.isBlank()) {
        out.add(Serialization.unmarshal(doc, GenericKubernetesResource.class));
      }
    }
    return out;
  }

  private static String str(Object o) {
    return o == null ? "" : o.toString();
  }
}
