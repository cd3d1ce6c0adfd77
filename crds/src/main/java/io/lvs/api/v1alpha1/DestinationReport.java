package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A destination as read back from the kernel, with its health and counters. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // a newer operator may add fields: an older agent reads on
public record DestinationReport(
    String address,
    Integer port,
    Integer weight,
    String health,
    Long activeConnections,
    Long inactiveConnections,
    Long connections,
    Long inPackets,
    Long outPackets,
    Long inBytes,
    Long outBytes) {}
