package io.lvs.api.v1alpha1;

/** Address family, needed where no address says it (a fwmark service). */
public enum AddressFamily {
  IPv4,
  IPv6
}
