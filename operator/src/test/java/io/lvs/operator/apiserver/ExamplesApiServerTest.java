package io.lvs.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lvs.api.v1alpha1.VirtualService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kubectl apply -f docs/examples/} as a user runs it: every example in one namespace, at
 * once, with the operator running. Each VirtualService must be accepted (status for its current
 * generation, no InvalidSpec) and hold its addresses (Conflict=False): the examples once shared a
 * VIP and the second one reported AddressInUse.
 */
class ExamplesApiServerTest {
  @RegisterExtension static final OperatorRun RUN = new OperatorRun();
  private static final Path EXAMPLES = Path.of(System.getProperty("user.dir")).getParent().resolve("docs/examples");
  private static final String NS = "examples";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void theWholeExamplesFolderAppliesTogetherWithoutConflict() throws IOException {
    KubernetesClient client = RUN.client();
    Fixtures fx = new Fixtures(client);
    fx.namespace(NS);
    // the nodes the examples' selectors name, so the operator plans every example for real
    fx.node("ex-director", "198.18.3.1", true, Map.of("lvs.io/director", "true"));
    fx.node("ex-web", "198.18.3.11", true, Map.of("lvs.io/real-server", "web"));
    fx.node("ex-shop", "198.18.3.12", true, Map.of("lvs.io/real-server", "shop"));
    fx.node("director-a", "198.18.3.21", true, Map.of("lvs.io/ha-director", "true"));
    fx.node("director-b", "198.18.3.22", true, Map.of("lvs.io/ha-director", "true"));

    List<String> services = new ArrayList<>();
    for (Path file : exampleFiles()) {
      try (InputStream in = Files.newInputStream(file)) {
        for (HasMetadata o : client.load(in).items()) {
          if (!o.getKind().equals("LvsNodeConfig")) { // cluster-scoped
            o.getMetadata().setNamespace(NS);
          }
          client.resource(o).create();
          if (o.getKind().equals("VirtualService")) {
            services.add(o.getMetadata().getName());
          }
        }
      }
    }
    assertThat(services).as("VirtualServices in %s", EXAMPLES).hasSizeGreaterThanOrEqualTo(8);

    await("status of every example for its generation").atMost(WAIT).untilAsserted(() -> {
      for (String name : services) {
        VirtualService vs = client.resources(VirtualService.class).inNamespace(NS).withName(name).get();
        assertThat(vs.getStatus()).as(name).isNotNull();
        assertThat(vs.getStatus().observedGeneration()).as(name).isEqualTo(vs.getMetadata().getGeneration());
        assertThat(condition(vs, "Conflict")).as("%s Conflict condition", name).isNotNull();
      }
    });
    for (String name : services) {
      VirtualService vs = client.resources(VirtualService.class).inNamespace(NS).withName(name).get();
      assertThat(text(condition(vs, "Conflict"))).as(name).startsWith("False NoConflict");
      assertThat(text(condition(vs, "Ready"))).as(name).doesNotContain("InvalidSpec").doesNotContain("Conflict");
    }

    // the HA example: both directors are candidates for its VIP, with its settings
    await("the HA example's candidacies").atMost(WAIT).untilAsserted(() -> {
      for (String d : List.of("director-a", "director-b")) {
        assertThat(fx.nodeState(d)).isNotNull();
        assertThat(fx.nodeState(d).getSpec().vipCandidates()).singleElement().satisfies(c -> {
          assertThat(c.address()).isEqualTo("198.18.0.160");
          assertThat(c.preferred()).isEqualTo("director-a");
          assertThat(c.directors()).hasSize(2);
        });
      }
    });

    // the check can fail: a copy of the DR example under another name claims a VIP already held
    try (InputStream in = Files.newInputStream(EXAMPLES.resolve("dr-rr.yaml"))) {
      for (HasMetadata o : client.load(in).items()) {
        if (o.getKind().equals("VirtualService")) {
          o.getMetadata().setNamespace(NS);
          o.getMetadata().setName("dr-rr-copy");
          client.resource(o).create();
        }
      }
    }
    await("the copy reports the VIP in use").atMost(WAIT).untilAsserted(() -> assertThat(text(condition(
        client.resources(VirtualService.class).inNamespace(NS).withName("dr-rr-copy").get(), "Conflict")))
        .startsWith("True AddressInUse"));
    client.resources(VirtualService.class).inNamespace(NS).withName("dr-rr-copy").delete();
  }

  private static List<Path> exampleFiles() throws IOException {
    try (Stream<Path> s = Files.list(EXAMPLES)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  private static Condition condition(VirtualService vs, String type) {
    if (vs == null || vs.getStatus() == null || vs.getStatus().conditions() == null) {
      return null;
    }
    return vs.getStatus().conditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  private static String text(Condition c) {
    return c == null ? "(none)" : c.getStatus() + " " + c.getReason() + ": " + c.getMessage();
  }
}
