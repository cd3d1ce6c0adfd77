package io.lvs.api.v1alpha1;

/** A node that failed to program its part, and the kernel's word for why. */
public record NodeError(String node, String message) {}
