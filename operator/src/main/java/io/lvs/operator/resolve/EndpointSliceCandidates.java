package io.lvs.operator.resolve;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.lvs.api.v1alpha1.ServiceMembers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Candidates from a Service's EndpointSlices (discovery.k8s.io/v1). Conditions follow the API's
 * rules: a missing {@code ready} means ready, a missing {@code serving} means as ready, a missing
 * {@code terminating} means not terminating. A terminating endpoint is never ready here, even when
 * still serving: it is on its way out and must be drained, not given new connections.
 */
public final class EndpointSliceCandidates {
  /** The label EndpointSlice controllers put on slices of a Service. */
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  /** Who manages a slice; the operator's own (publishService) carry {@link #OWN_MANAGER}. */
  public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
  /** The operator's published slices hold VIPs, never members: a pool must not balance to a VIP. */
  public static final String OWN_MANAGER = "lvs-operator.lvs.io";

  private EndpointSliceCandidates() {}

  public static Resolution from(String namespace, ServiceMembers ref, List<EndpointSlice> slices) {
    List<Candidate> out = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (EndpointSlice slice : slices) {
      if (!namespace.equals(slice.getMetadata().getNamespace())
          || slice.getMetadata().getLabels() == null
          || !ref.name().equals(slice.getMetadata().getLabels().get(SERVICE_NAME_LABEL))
          || OWN_MANAGER.equals(slice.getMetadata().getLabels().get(MANAGED_BY_LABEL))) {
        continue;
      }
      String type = slice.getAddressType();
      if (!"IPv4".equals(type) && !"IPv6".equals(type)) {
        continue; // FQDN slices name hosts, not addresses IPVS can use
      }
      Optional<Integer> port = port(ref, slice, errors);
      if (port.isEmpty() || slice.getEndpoints() == null) {
        continue;
      }
      for (Endpoint ep : slice.getEndpoints()) {
        boolean ready = isReady(ep.getConditions());
        if (ep.getAddresses() == null) {
          continue;
        }
        for (String address : ep.getAddresses()) {
          out.add(new Candidate(address, port.get(), ep.getNodeName(), ready, MemberSource.SERVICE, null));
        }
      }
    }
    return new Resolution(out, errors);
  }

  static boolean isReady(EndpointConditions c) {
    if (c == null) {
      return true;
    }
    boolean terminating = Boolean.TRUE.equals(c.getTerminating());
    boolean ready = c.getReady() == null || c.getReady();
    return ready && !terminating;
  }

  private static Optional<Integer> port(ServiceMembers ref, EndpointSlice slice, List<String> errors) {
    List<EndpointPort> ports = slice.getPorts() == null ? List.of() : slice.getPorts();
    String where = "serviceRef " + ref.name() + ": EndpointSlice " + slice.getMetadata().getName();
    if (ref.port() != null) {
      return ports.stream().map(EndpointPort::getPort).filter(ref.port()::equals).findFirst().or(() -> {
        errors.add(where + " has no port " + ref.port());
        return Optional.empty();
      });
    }
    if (ref.portName() != null) {
      return ports.stream()
          .filter(p -> ref.portName().equals(p.getName()) && p.getPort() != null)
          .map(EndpointPort::getPort)
          .findFirst()
          .or(() -> {
            errors.add(where + " has no port named " + ref.portName());
            return Optional.empty();
          });
    }
    if (ports.size() == 1 && ports.get(0).getPort() != null) {
      return Optional.of(ports.get(0).getPort());
    }
    if (ports.isEmpty()) {
      return Optional.empty(); // a Service without ports has no endpoints to balance to
    }
    errors.add(where + " has " + ports.size() + " ports; set serviceRef.port or serviceRef.portName");
    return Optional.empty();
  }
}
