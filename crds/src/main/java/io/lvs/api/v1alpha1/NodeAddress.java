package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An address a node must hold: the VIP on the active director's interface, or on lo / tunl0 of a
 * DR / TUN real server. {@code announce} asks for gratuitous ARP / unsolicited NA when added.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeAddress(
    String owner, String address, Integer prefixLength, String interfaceName, Boolean announce) {}
