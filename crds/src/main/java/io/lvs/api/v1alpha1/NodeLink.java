package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A link the node must have, up: the ipip {@code tunl0} of a TUN real server, or a dummy. */
@JsonIgnoreProperties(ignoreUnknown = true) // a newer operator may add fields: an older agent reads on
public record NodeLink(String owner, String name, String type) {}
