package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A destination as read back from the kernel, with its health and counters. {@code healthSince}
 * (RFC 3339) is when the health check last changed this member's health (or began probing it);
 * {@code healthError} is the most recent failed probe's error, kept after it recovers.
 */
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
    Long outBytes,
    String healthSince,
    String healthError) {}
