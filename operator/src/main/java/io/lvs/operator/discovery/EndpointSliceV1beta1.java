package io.lvs.operator.discovery;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Map;

/**
 * discovery.k8s.io/v1beta1 EndpointSlices in the v1 shape the resolver reads, and back (the
 * operator writes slices of its own in whichever version is served). The versions differ where
 * the node is: v1 has {@code nodeName} and {@code zone}; v1beta1 has a {@code topology} map, where
 * the 1.20 controller puts the node as {@code kubernetes.io/hostname} ({@code nodeName} there is
 * only set behind the alpha gate EndpointSliceNodeName).
 */
public final class EndpointSliceV1beta1 {
  static final String HOSTNAME = "kubernetes.io/hostname";
  static final String ZONE = "topology.kubernetes.io/zone";

  private EndpointSliceV1beta1() {}

  public static EndpointSlice toV1(io.fabric8.kubernetes.api.model.discovery.v1beta1.EndpointSlice in) {
    List<Endpoint> endpoints = in.getEndpoints() == null ? null : in.getEndpoints().stream().map(EndpointSliceV1beta1::endpoint).toList();
    List<EndpointPort> ports = in.getPorts() == null ? null : in.getPorts().stream()
        .map(p -> new EndpointPort(p.getAppProtocol(), p.getName(), p.getPort(), p.getProtocol())).toList();
    return new EndpointSliceBuilder().withMetadata(in.getMetadata()).withAddressType(in.getAddressType())
        .withEndpoints(endpoints).withPorts(ports).build();
  }

  private static Endpoint endpoint(io.fabric8.kubernetes.api.model.discovery.v1beta1.Endpoint e) {
    Map<String, String> topology = e.getTopology() == null ? Map.of() : e.getTopology();
    String node = e.getNodeName() != null ? e.getNodeName() : topology.get(HOSTNAME);
    var c = e.getConditions();
    return new EndpointBuilder().withAddresses(e.getAddresses()).withHostname(e.getHostname()).withNodeName(node)
        .withZone(topology.get(ZONE)).withTargetRef(e.getTargetRef())
        .withConditions(c == null ? null : new EndpointConditions(c.getReady(), c.getServing(), c.getTerminating()))
        .build();
  }

  public static io.fabric8.kubernetes.api.model.discovery.v1beta1.EndpointSlice fromV1(EndpointSlice in) {
    var b = new io.fabric8.kubernetes.api.model.discovery.v1beta1.EndpointSliceBuilder()
        .withMetadata(in.getMetadata()).withAddressType(in.getAddressType());
    if (in.getPorts() != null) {
      in.getPorts().forEach(p -> b.addNewPort().withAppProtocol(p.getAppProtocol()).withName(p.getName())
          .withPort(p.getPort()).withProtocol(p.getProtocol()).endPort());
    }
    if (in.getEndpoints() != null) {
      for (Endpoint e : in.getEndpoints()) {
        var eb = b.addNewEndpoint().withAddresses(e.getAddresses()).withHostname(e.getHostname()).withTargetRef(e.getTargetRef());
        if (e.getNodeName() != null) {
          eb.addToTopology(HOSTNAME, e.getNodeName());
        }
        if (e.getZone() != null) {
          eb.addToTopology(ZONE, e.getZone());
        }
        if (e.getConditions() != null) {
          eb.withNewConditions().withReady(e.getConditions().getReady()).withServing(e.getConditions().getServing())
              .withTerminating(e.getConditions().getTerminating()).endConditions();
        }
        eb.endEndpoint();
      }
    }
    return b.build();
  }
}
