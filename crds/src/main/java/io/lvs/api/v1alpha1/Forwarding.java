package io.lvs.api.v1alpha1;

/**
 * How the director hands packets to real servers: the seed notes' modes. DirectRouting rewrites the
 * destination MAC (ipvsadm -g), NAT rewrites the destination address (-m), Tunnel wraps in IPIP
 * (-i), FullNAT is masquerading plus source NAT to the director's address so replies return
 * through it.
 */
public enum Forwarding {
  DirectRouting,
  NAT,
  Tunnel,
  FullNAT
}
