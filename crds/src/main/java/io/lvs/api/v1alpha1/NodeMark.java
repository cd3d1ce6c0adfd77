package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A director's marking rule for a fwmark service: packets to {@code address} (a CIDR) with this
 * protocol and a destination port in [port, endPort] (both absent: any port) get {@code mark}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // a newer operator may add fields: an older agent reads on
public record NodeMark(
    String owner,
    Long mark,
    String address,
    Integer prefixLength,
    Protocol protocol,
    Integer port,
    Integer endPort) {}
