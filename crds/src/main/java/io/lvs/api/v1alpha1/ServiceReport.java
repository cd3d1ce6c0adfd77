package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** What a node read back for one owner's IPVS service: programmed or the error, and counters. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // a newer operator may add fields: an older agent reads on
public record ServiceReport(
    @JsonPropertyDescription("The VirtualService, as namespace/name.") String owner,
    @JsonPropertyDescription("The kernel's key of the IPVS service: TCP 198.18.0.100:80, or FWM 5 for a firewall mark.") String service,
    @JsonPropertyDescription("True when the service and its destinations were read back from the kernel as wanted.") Boolean programmed,
    @JsonPropertyDescription("Why not programmed (errors joined with \"; \").") String error,
    @JsonPropertyDescription("The real servers: the wanted ones, then owned ones still draining in the kernel.") List<DestinationReport> destinations,
    @JsonPropertyDescription("Connections the kernel scheduled to this service since it was created (Conns in ipvsadm -Ln --stats; the kernel adds up its per-CPU counters every 2 s).") Long connections,
    @JsonPropertyDescription("Packets from clients (InPkts).") Long inPackets,
    @JsonPropertyDescription("Packets towards clients through the director (OutPkts; 0 for DR and Tunnel, whose replies bypass the director).") Long outPackets,
    @JsonPropertyDescription("Bytes from clients (InBytes).") Long inBytes,
    @JsonPropertyDescription("Bytes towards clients through the director (OutBytes).") Long outBytes) {}
