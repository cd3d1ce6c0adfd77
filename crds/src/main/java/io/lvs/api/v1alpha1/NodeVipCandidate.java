package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * A VIP this node may hold as one of two or more directors (docs/ha.md). Unlike a
 * {@link NodeAddress}, the operator does not say whether to hold it: the directors' agents elect
 * the holder among themselves through the Lease {@code lvs-ha-vip-<vip>} and their heartbeats, and
 * only the holder puts the address on {@code interfaceName} (or the one holding
 * {@code interfaceOf}) and announces it. The holder records each takeover on the Lease as the
 * annotations {@code lvs.io/failover-time}, {@code lvs.io/failover-from} and
 * {@code lvs.io/failover-reason}, which the operator copies into the VirtualService's status.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // a newer operator may add fields: an older agent reads on
public record NodeVipCandidate(
    String owner,
    String address,
    Integer prefixLength,
    String interfaceName,
    String interfaceOf,
    @JsonPropertyDescription("Every director of this VIP, this node included.") List<NodeHaPeer> directors,
    @JsonPropertyDescription("The director that holds the VIP when it can (absent: none preferred).") String preferred,
    @JsonPropertyDescription("Whether the preferred director takes the VIP back when it returns.") Boolean preempt,
    NodeFailoverTimings timings,
    @JsonPropertyDescription("Gratuitous ARP / unsolicited NA repetitions on takeover.") Integer announceCount,
    Integer announceIntervalMillis,
    @JsonPropertyDescription("Whether the directors run the IPVS connection sync daemon for this VIP.")
        Boolean connectionSync) {}
