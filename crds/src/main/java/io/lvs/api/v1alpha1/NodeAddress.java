package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * An address a node must hold: the VIP on the active director's interface, or on lo / tunl0 of a
 * DR / TUN real server. {@code announce} asks for gratuitous ARP / unsolicited NA when added.
 * {@code interfaceOf} names the interface indirectly, by an address it already holds (the
 * director's InternalIP when {@code directors.vipInterface} is unset); the agent resolves it.
 * {@code podIp} puts the address inside a pod's own network namespace instead of the node's: the
 * DR / TUN real server that is a pod (not hostNetwork); the agent finds that namespace by the IP.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // a newer operator may add fields: an older agent reads on
public record NodeAddress(
    String owner,
    String address,
    Integer prefixLength,
    String interfaceName,
    Boolean announce,
    @JsonPropertyDescription(
            "When interfaceName is empty: the address goes on the interface that holds this address"
                + " (the node's InternalIP). Neither set: lo.")
        String interfaceOf,
    @JsonPropertyDescription(
            "Set for a pod real server: the address goes on interfaceName (lo or tunl0) inside the"
                + " network namespace on this node that holds this pod IP, with the ARP / rp_filter"
                + " sysctls of that mode, not on the node's own interfaces.")
        String podIp) {

  /** An address on a named interface (or lo when {@code interfaceName} is empty). */
  public NodeAddress(String owner, String address, Integer prefixLength, String interfaceName, Boolean announce) {
    this(owner, address, prefixLength, interfaceName, announce, null, null);
  }

  /** An address on the node, on a named interface or on the one holding {@code interfaceOf}. */
  public NodeAddress(String owner, String address, Integer prefixLength, String interfaceName, Boolean announce,
      String interfaceOf) {
    this(owner, address, prefixLength, interfaceName, announce, interfaceOf, null);
  }
}
