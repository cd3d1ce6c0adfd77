package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * An address a node must hold: the VIP on the active director's interface, or on lo / tunl0 of a
 * DR / TUN real server. {@code announce} asks for gratuitous ARP / unsolicited NA when added.
 * {@code interfaceOf} names the interface indirectly, by an address it already holds (the
 * director's InternalIP when {@code directors.vipInterface} is unset); the agent resolves it.
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
        String interfaceOf) {

  /** An address on a named interface (or lo when {@code interfaceName} is empty). */
  public NodeAddress(String owner, String address, Integer prefixLength, String interfaceName, Boolean announce) {
    this(owner, address, prefixLength, interfaceName, announce, null);
  }
}
