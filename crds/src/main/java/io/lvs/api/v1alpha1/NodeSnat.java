package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * FullNAT's second half: traffic the director forwards to these real servers for this virtual
 * service leaves with the director's address as source, so replies come back through it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // a newer operator may add fields: an older agent reads on
public record NodeSnat(
    String owner,
    Protocol protocol,
    List<String> realServers,
    Integer port,
    String toSource) {}
