package io.lvs.agent.dataplane;

import io.lvs.agent.model.InterfaceAddress;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * An address a node must hold (a VIP on lo, tunl0 or the director's interface). Several owners may
 * want the same address (two VirtualServices on one VIP); it goes when the last one leaves.
 * {@code announce} asks for a gratuitous ARP / unsolicited NA when it is added.
 */
public record DesiredAddress(InterfaceAddress address, SortedSet<String> owners, boolean announce) {
  public DesiredAddress {
    Objects.requireNonNull(address, "address");
    owners = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(owners));
  }
}
