package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One IPVS service a node must hold, keyed as the kernel keys it: (protocol, vip, port) or (family,
 * fwmark). {@code owner} is "namespace/name" of the VirtualService it comes from. With
 * {@code inCluster} it is not a director's service but the node's own clients' one
 * (docs/in-cluster.md): the agent programs it as a fwmark NAT service fed by local traffic only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // a newer operator may add fields: an older agent reads on
public record NodeIpvsService(
    String owner,
    String vip,
    Integer port,
    Protocol protocol,
    Long fwmark,
    AddressFamily family,
    String scheduler,
    List<String> flags,
    Integer persistenceTimeoutSeconds,
    Integer netmaskPrefixLength,
    List<NodeDestination> destinations,
    HealthCheck healthCheck,
    NodeInCluster inCluster) {

  /** A director's service (no inCluster): callers written before in-cluster access existed. */
  public NodeIpvsService(String owner, String vip, Integer port, Protocol protocol, Long fwmark, AddressFamily family,
      String scheduler, List<String> flags, Integer persistenceTimeoutSeconds, Integer netmaskPrefixLength,
      List<NodeDestination> destinations, HealthCheck healthCheck) {
    this(owner, vip, port, protocol, fwmark, family, scheduler, flags, persistenceTimeoutSeconds, netmaskPrefixLength,
        destinations, healthCheck, null);
  }
}
