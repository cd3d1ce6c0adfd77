package io.lvs.e2e.lab;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The YAML a user would write for the lab: a RealServerPool and a VirtualService, built from a few
 * parameters plus extra spec lines. Kept as text so what is applied reads like the docs' examples.
 */
public final class Manifests {
  private Manifests() {}

  /** A pool of the nodes carrying the lab's web label, on the web servers' port. */
  public static String nodePool(String name, List<String> extraSpecLines) {
    return """
        apiVersion: lvs.io/v1alpha1
        kind: RealServerPool
        metadata:
          name: %s
        spec:
          nodeSelector:
            matchLabels:
              %s: "%s"
            port: %d
        %s""".formatted(name, Lab.WEB_LABEL, Lab.WEB_VALUE, WebServers.PORT, indent(extraSpecLines));
  }

  /** A VirtualService on VIP:80 directed by the lab's director nodes. */
  public static String virtualService(String name, String vip, String forwarding, String scheduler, String pool,
      List<String> extraSpecLines) {
    return """
        apiVersion: lvs.io/v1alpha1
        kind: VirtualService
        metadata:
          name: %s
        spec:
          vip: %s
          ports:
          - port: %d
          forwarding: %s
          scheduler: %s
          realServerPoolRef:
            name: %s
          directors:
            nodeSelector:
              %s: "%s"
            vipInterface: eth0
        %s""".formatted(name, vip, WebServers.PORT, forwarding, scheduler, pool, Lab.DIRECTOR_LABEL, Lab.DIRECTOR_VALUE,
            indent(extraSpecLines));
  }

  /** A pool of the web nodes on another port (the HA scenarios' echo servers). */
  public static String nodePool(String name, int port) {
    return nodePool(name, List.of()).replace("port: " + WebServers.PORT, "port: " + port);
  }

  /** A DR VirtualService on VIP:port directed by both HA directors, with extra lines under spec.directors. */
  public static String haVirtualService(String name, String vip, int port, String pool, List<String> directorLines) {
    return """
        apiVersion: lvs.io/v1alpha1
        kind: VirtualService
        metadata:
          name: %s
        spec:
          vip: %s
          ports:
          - port: %d
          forwarding: DirectRouting
          scheduler: rr
          realServerPoolRef:
            name: %s
          directors:
            nodeSelector:
              %s: "%s"
            vipInterface: eth0
        %s""".formatted(name, vip, port, pool, Lab.HA_DIRECTOR_LABEL, Lab.DIRECTOR_VALUE,
            directorLines.stream().map(l -> "    " + l).collect(Collectors.joining("\n")) + "\n");
  }

  /** Pool and service in one apply. */
  public static String pair(String pool, String service) {
    return pool + "\n---\n" + service;
  }

  private static String indent(List<String> lines) {
    return lines.stream().map(l -> "  " + l).collect(Collectors.joining("\n")) + "\n";
  }
}
