package io.lvs.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lvs.testsupport.Crds;
import io.lvs.testsupport.RealApiServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checked-in CRDs on a real kube-apiserver 1.20.2 (test-support's {@link RealApiServer}): they install and become Established, and every case of
 * {@link SpecValidatorTest#invalidSpecs()} that SpecValidator refuses through the schema is also
 * refused by the server, with its own message naming the same field.
 *
 * <p>What 1.20 does not do, shown here rather than hidden: it has no CEL, so it silently drops
 * {@code x-kubernetes-validations} from the CRD and accepts CEL-only violations (SpecValidatorTest
 * proves those rules with dev.cel, and the operator refuses them through SpecValidator); and it
 * prunes unknown fields instead of refusing them (kubectl 1.25+ refuses them client-side with
 * strict field validation). The CRDs are installed unmodified: 1.20 accepts them as they are.
 */
class CrdSchemaApiServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NS = "default";
  private static final SpecValidator VALIDATOR = new SpecValidator();
  private static RealApiServer server;
  private static KubernetesClient client;

  @BeforeAll
  static void installCrds() {
    server = RealApiServer.start(false);
    client = server.admin();
    Crds.install(client, Crds.PROJECT); // they install and become Established
    // discovery is refreshed asynchronously after Established
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("lvs-test").endMetadata().build()).create();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static Stream<Arguments> schemaCases() {
    return SpecValidatorTest.invalidSpecs();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemaCases")
  void serverAndSpecValidatorAgree(String name, JsonNode object, String path, String message) throws IOException {
    ObjectNodeName.rename(object, name);
    List<FieldError> errors = VALIDATOR.validate(object);
    List<FieldError> schemaErrors =
        errors.stream()
            .filter(e -> e.source() == FieldError.Source.SCHEMA && !e.detail().equals("is an unknown field"))
            .toList();
    GenericKubernetesResource resource = JSON.treeToValue(object, GenericKubernetesResource.class);
    if (schemaErrors.isEmpty()) {
      // CEL-only (or unknown-field-only) violation: 1.20 cannot see it and stores the object
      GenericKubernetesResource stored = create(resource, NS);
      assertThat(stored.getMetadata().getUid()).as(name).isNotBlank();
      client.resource(stored).delete();
      return;
    }
    assertThatThrownBy(() -> create(resource, NS))
        .as(name)
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          String serverMessage = e.getStatus().getMessage();
          for (FieldError expected : schemaErrors) {
            // 1.20 drops array indexes (spec.ports.port for our spec.ports[0].port)
            assertThat(serverMessage).as("%s: server said %s", name, serverMessage).contains(serverPath(expected.path()));
          }
        });
  }

  @Test
  void everyShippedExampleIsAccepted() throws IOException {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("examples").endMetadata().build()).create();
    List<Examples.Doc> docs = Examples.docs();
    assertThat(docs).isNotEmpty();
    for (Examples.Doc doc : docs) {
      GenericKubernetesResource r = JSON.treeToValue(doc.object(), GenericKubernetesResource.class);
      GenericKubernetesResource stored = create(r, "examples");
      // nothing pruned: what the server stored is what the example says
      JsonNode storedSpec = JSON.valueToTree(stored.getAdditionalProperties().get("spec"));
      assertThat(storedSpec).as(doc.toString()).isEqualTo(doc.object().get("spec"));
    }
  }

  @Test
  void celRulesAreDroppedBy120() {
    CustomResourceDefinition stored =
        client.apiextensions().v1().customResourceDefinitions().withName("virtualservices.lvs.io").get();
    String yaml = Serialization.asYaml(stored.getSpec());
    assertThat(yaml).doesNotContain("x-kubernetes-validations");
    assertThat(yaml).contains("pattern").contains("maximum: 65535");
  }

  @Test
  void validExamplesAreStoredAndKubectlListsThemByCategory(@TempDir Path dir) throws Exception {
    GenericKubernetesResource vs = JSON.treeToValue(SpecValidatorTest.vsObject("ports: [{port: 80}, {port: 443}]"), GenericKubernetesResource.class);
    vs.getMetadata().setName("web");
    GenericKubernetesResource pool = JSON.treeToValue(SpecValidatorTest.rspObject(""), GenericKubernetesResource.class);
    pool.getMetadata().setName("web");
    client.resource(vs).inNamespace("lvs-test").create();
    client.resource(pool).inNamespace("lvs-test").create();

    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, server.kubeconfigYaml());
    String out = kubectl(kubeconfig, "get", "lvs", "-n", "lvs-test");
    assertThat(out).contains("virtualservice.lvs.io/web").contains("realserverpool.lvs.io/web");
    String header = kubectl(kubeconfig, "get", "lvsvs", "-n", "lvs-test").lines().findFirst().orElseThrow();
    assertThat(header.split("\\s+")).containsExactly("NAME", "VIP", "PORTS", "MODE", "SCHEDULER", "READY", "DIRECTOR", "AGE");
    assertThat(kubectl(kubeconfig, "get", "rsp", "-n", "lvs-test")).contains("web");
    assertThat(kubectl(kubeconfig, "get", "lvsns")).contains("No resources found");

    // LvsNodeConfig: cluster-scoped, the columns a user reads (matched, applied, conflict; timeouts with -o wide)
    GenericKubernetesResource nc = JSON.treeToValue(SpecValidatorTest.ncObject(""), GenericKubernetesResource.class);
    nc.getMetadata().setName("kubectl-columns"); // not the example's name: that one is stored too
    client.resource(nc).create();
    List<String> lines = kubectl(kubeconfig, "get", "lvsnc", "-o", "wide").lines().toList();
    assertThat(lines.get(0).split("\\s+")).containsExactly("NAME", "NODES", "APPLIED", "CONFLICT", "AGE", "TCP", "TCPFIN", "UDP");
    String row = lines.stream().filter(l -> l.startsWith("kubectl-columns ")).findFirst().orElseThrow();
    assertThat(row.split("\\s+")).endsWith("600", "60", "120");
  }

  /** In {@code namespace}, unless the kind is cluster-scoped (LvsNodeConfig). */
  private static GenericKubernetesResource create(GenericKubernetesResource r, String namespace) {
    return r.getKind().equals("LvsNodeConfig") ? client.resource(r).create() : client.resource(r).inNamespace(namespace).create();
  }

  private static String kubectl(Path kubeconfig, String... args) throws IOException, InterruptedException {
    String dir = System.getenv().getOrDefault("KUBE_API_TEST_DIR", System.getProperty("user.home") + "/.kubeapitest");
    List<String> cmd = new ArrayList<>();
    cmd.add(dir + "/k8s/1.20.2-linux-amd64/kubectl");
    cmd.add("--kubeconfig=" + kubeconfig);
    cmd.addAll(List.of(args));
    // discovery may lag a freshly Established CRD by a moment: retry briefly
    String last = "";
    for (int attempt = 0; attempt < 20; attempt++) {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      last = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() == 0) {
        return last;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(String.join(" ", cmd) + " failed: " + last);
  }

  /** kube-apiserver 1.20 writes {@code spec.ports.port} where we write {@code spec.ports[0].port}. */
  private static String serverPath(String path) {
    return path.replaceAll("\\[[0-9]+\\]", "").replaceAll("\\[([^\\]]*)\\]", ".$1");
  }

  /** Each case becomes its own object name, so a stored CEL-only case cannot collide with another. */
  private static final class ObjectNodeName {
    static void rename(JsonNode object, String caseName) {
      String n = caseName.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
      ((com.fasterxml.jackson.databind.node.ObjectNode) object.get("metadata")).put("name", n.length() > 60 ? n.substring(0, 60) : n);
    }
  }
}
