package io.lvs.api.v1alpha1;

/** A link the node must have, up: the ipip {@code tunl0} of a TUN real server, or a dummy. */
public record NodeLink(String owner, String name, String type) {}
