package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** What a node read back for one owner's IPVS service: programmed or the error, and counters. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // a newer operator may add fields: an older agent reads on
public record ServiceReport(
    String owner,
    String service,
    Boolean programmed,
    String error,
    List<DestinationReport> destinations,
    Long connections,
    Long inPackets,
    Long outPackets,
    Long inBytes,
    Long outBytes) {}
