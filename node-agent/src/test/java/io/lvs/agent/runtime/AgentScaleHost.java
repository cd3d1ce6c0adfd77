package io.lvs.agent.runtime;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lvs.api.slices.NodeSlices;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.testsupport.Crds;
import io.lvs.testsupport.RealApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs {@link AgentProcessAtScaleKernelTest} with a real API server: kube-apiserver 1.20.2 starts
 * here on the host at native speed (under the VM's emulation it needs minutes), holds every size's
 * slices, and QEMU forwards its port into the VM (lab.sh LAB_HOST_PORTS), where the agent's
 * informer lists and watches them as in a cluster.
 *
 * <pre>java -cp TEST_CLASSPATH io.lvs.agent.runtime.AgentScaleHost NODE_AGENT_DIR SIZES [LAB_JAVA_OPTS...]</pre>
 *
 * Exits with the VM run's exit code.
 */
public final class AgentScaleHost {
  private AgentScaleHost() {}

  public static void main(String[] args) throws Exception {
    Path module = Path.of(args[0]).toAbsolutePath().normalize();
    String sizes = args[1];
    StringBuilder opts = new StringBuilder();
    for (int i = 2; i < args.length; i++) {
      opts.append(' ').append(args[i]);
    }
    try (RealApiServer server = RealApiServer.start(false)) {
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-api-server")); // a killed run leaves none behind
      Crds.install(server.admin(), Crds.PROJECT);
      for (String n : sizes.split(",")) {
        int services = Integer.parseInt(n.strip());
        for (NodeSlice s : AgentProcessAtScaleKernelTest.slices(AgentProcessAtScaleKernelTest.node(services), services)) {
          create(server.admin(), s);
        }
      }
      Path kubeconfig = module.resolve("target/agent-scale-kubeconfig");
      Files.writeString(kubeconfig, kubeconfigForVm(server.adminConfig(), server.port()));
      ProcessBuilder pb = new ProcessBuilder("bash", module.resolve("../e2e/kernel-lab/run-tests-in-vm.sh").toString(),
          module.toString(), "benchmark").inheritIO();
      Map<String, String> env = pb.environment();
      env.put("LAB_HOST_PORTS", Integer.toString(server.port()));
      env.putIfAbsent("LAB_TEST_SELECT", "--select-class " + AgentProcessAtScaleKernelTest.class.getName());
      env.put("LAB_JAVA_OPTS", "-Dlvs.scale.services=" + sizes + " -D" + AgentProcessAtScaleKernelTest.KUBECONFIG_PROPERTY
          + "=" + kubeconfig + opts);
      int rc = pb.start().waitFor();
      System.exit(rc);
    }
  }

  static void create(KubernetesClient c, NodeSlice s) {
    LvsNodeState n = new LvsNodeState();
    n.setMetadata(new ObjectMetaBuilder().withName(s.name())
        .addToLabels(NodeSlices.NODE_LABEL, NodeSlices.labelValue(s.spec().nodeName())).build());
    n.setSpec(s.spec());
    c.resource(n).create();
  }

  /** The administrator's client certificate, the server at the address QEMU forwards its port to. */
  static String kubeconfigForVm(Config admin, int port) throws java.io.IOException {
    return "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://198.19.255.100:" + port
        + "', insecure-skip-tls-verify: true}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n"
        + "users: [{name: u, user: {client-certificate-data: " + data(admin.getClientCertData(), admin.getClientCertFile())
        + ", client-key-data: " + data(admin.getClientKeyData(), admin.getClientKeyFile()) + "}}]\n";
  }

  private static String data(String inline, String file) throws java.io.IOException {
    return inline != null ? inline : java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(file)));
  }
}
