package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Marks a node's IPVS service as serving this node's own clients. {@code uplinkOf} is the node's
 * InternalIP: packets arriving on the interface holding it (and on tunnel devices) come from other
 * nodes or from outside — a director's DR or Tunnel traffic among them — and are never scheduled
 * here a second time.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // a newer operator may add fields: an older agent reads on
public record NodeInCluster(String uplinkOf) {}
