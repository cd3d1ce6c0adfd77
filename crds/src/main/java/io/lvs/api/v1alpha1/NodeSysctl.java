package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A sysctl a node must hold, as its dotted key (net.ipv4.conf.lo.arp_ignore). The agent remembers
 * the value it found and restores it when no owner wants the key any more.
 */
@JsonIgnoreProperties(ignoreUnknown = true) // a newer operator may add fields: an older agent reads on
public record NodeSysctl(String owner, String key, String value) {}
