package io.lvs.api.v1alpha1;

/**
 * A sysctl a node must hold, as its dotted key (net.ipv4.conf.lo.arp_ignore). The agent remembers
 * the value it found and restores it when no owner wants the key any more.
 */
public record NodeSysctl(String owner, String key, String value) {}
