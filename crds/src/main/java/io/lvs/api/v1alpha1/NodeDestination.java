package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One destination (real server) of a node's IPVS service. {@code draining} marks a member on its
 * way out: the agent keeps it at weight 0 until the operator drops it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // a newer operator may add fields: an older agent reads on
public record NodeDestination(
    String address,
    Integer port,
    Integer weight,
    Forwarding forwarding,
    String tunnelType,
    Long upperThreshold,
    Long lowerThreshold,
    Boolean draining) {}
