package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A director of an HA VIP: its node name and the address its agent's heartbeats come from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // a newer operator may add fields: an older agent reads on
public record NodeHaPeer(String nodeName, String address) {}
