package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A destination as read back from the kernel, with its health and counters. {@code healthSince}
 * (RFC 3339) is when the health check last changed this member's health (or began probing it);
 * {@code healthError} is the most recent failed probe's error, kept after it recovers.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // a newer operator may add fields: an older agent reads on
public record DestinationReport(
    @JsonPropertyDescription("The real server's address.") String address,
    @JsonPropertyDescription("The real server's port.") Integer port,
    @JsonPropertyDescription("The weight the kernel holds; absent when the destination is not in the kernel.") Integer weight,
    @JsonPropertyDescription("Healthy or Unhealthy, for members with a health check; absent without one.") String health,
    @JsonPropertyDescription("ActiveConn in ipvsadm -Ln: established connections.") Long activeConnections,
    @JsonPropertyDescription("InActConn in ipvsadm -Ln: connections in other states (e.g. TIME_WAIT).") Long inactiveConnections,
    @JsonPropertyDescription("Connections scheduled to this real server (Conns in ipvsadm -Ln --stats).") Long connections,
    @JsonPropertyDescription("Packets from clients to this real server (InPkts).") Long inPackets,
    @JsonPropertyDescription("Packets from this real server through the director (OutPkts).") Long outPackets,
    @JsonPropertyDescription("Bytes from clients to this real server (InBytes).") Long inBytes,
    @JsonPropertyDescription("Bytes from this real server through the director (OutBytes).") Long outBytes,
    @JsonPropertyDescription("When the health check last changed this member's health, or began probing it (RFC 3339).") String healthSince,
    @JsonPropertyDescription("The most recent failed probe's error, kept after the member recovers.") String healthError) {}
