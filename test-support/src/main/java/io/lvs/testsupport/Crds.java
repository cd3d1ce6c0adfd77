package io.lvs.testsupport;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Installing CustomResourceDefinitions on a test API server and waiting until they are served. */
public final class Crds {
  /** The project's CRDs as checked in (what the chart ships), from the crds jar on the caller's classpath. */
  public static final List<String> PROJECT = List.of(
      "io/lvs/api/crds/virtualservices.lvs.io-v1.yml",
      "io/lvs/api/crds/realserverpools.lvs.io-v1.yml",
      "io/lvs/api/crds/lvsnodestates.lvs.io-v1.yml",
      "io/lvs/api/crds/lvsnodeconfigs.lvs.io-v1.yml");

  /** The test-only discovery.k8s.io/v1 EndpointSlice stand-in (never shipped; see the file's header). */
  public static final String ENDPOINTSLICE_V1 = "io/lvs/testsupport/endpointslice-v1-crd.yaml";

  private Crds() {}

  /** Creates these CRDs (classpath resources) and waits until each is Established. */
  public static void install(KubernetesClient client, List<String> resources) {
    List<CustomResourceDefinition> crds = new ArrayList<>();
    for (String resource : resources) {
      crds.add(load(resource));
    }
    create(client, crds);
  }

  /** Creates these CRDs and waits until each is Established. */
  public static void create(KubernetesClient client, List<CustomResourceDefinition> crds) {
    for (CustomResourceDefinition crd : crds) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
    for (CustomResourceDefinition crd : crds) {
      client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
          .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
              && c.getStatus().getConditions().stream()
                  .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
              60, TimeUnit.SECONDS);
    }
  }

  /** A CRD from a classpath resource. */
  public static CustomResourceDefinition load(String resource) {
    try (InputStream in = Crds.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("CRD " + resource + " is not on the classpath (is lvs-crds a dependency?)");
      }
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException("read CRD " + resource, e);
    }
  }
}
